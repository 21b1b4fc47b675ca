"""The local control plane's pieces that need no running process: its nodes and its certificates."""

import stat

from cryptography import x509

from tbyte.cluster.layout import CLIENTS, Layout
from tbyte.cluster.nodes import INSTANCE_TYPES, nodes
from tbyte.core.environment import Environment
from tbyte.core.settings import Settings


def test_the_nodes_mirror_the_node_group_of_local():
    env = Environment.resolve("local")
    found = nodes(env)
    assert len(found) == int(env.values["node_desired_size"])
    node = found[0]
    labels = node["metadata"]["labels"]
    assert labels["node.kubernetes.io/instance-type"] == env.values["node_instance_types"][0]
    assert labels["eks.amazonaws.com/nodegroup"] == "general" and labels["workload"] == "general"
    assert labels["eks.amazonaws.com/capacityType"] == env.values["node_capacity_type"]
    assert labels["topology.kubernetes.io/zone"] in env.values["availability_zones"]
    assert node["metadata"]["annotations"] == {"kwok.x-k8s.io/node": "fake"}
    kind = INSTANCE_TYPES[env.values["node_instance_types"][0]]
    assert node["status"]["capacity"]["pods"] == str(kind.max_pods)
    # EKS reserves CPU and memory for the kubelet: less is allocatable than the instance has.
    assert int(node["status"]["allocatable"]["cpu"].rstrip("m")) < kind.cpus * 1000
    assert int(node["status"]["allocatable"]["memory"].rstrip("Mi")) < kind.memory_mib


def test_a_t3_medium_leaves_what_eks_leaves():
    allocatable = INSTANCE_TYPES["t3.medium"].allocatable()
    # 6% of the first core and 1% of the second; 255Mi + 11Mi x 17 pods + 100Mi eviction threshold
    assert allocatable["cpu"] == "1930m"
    assert allocatable["memory"] == f"{3943 - 255 - 187 - 100}Mi"


def test_the_certificates_are_private_and_name_their_users(tmp_path, monkeypatch):
    from tbyte.core import paths

    monkeypatch.setattr(paths, "LOCAL_CLUSTERS", tmp_path)
    layout = Layout.of(Settings.from_config({"kube_port": "7443"}))
    layout.ensure_pki()
    assert stat.S_IMODE(layout.pki.stat().st_mode) == 0o700
    for path in layout.pki.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for name, (user, groups) in CLIENTS.items():
        assert stat.S_IMODE(layout.kubeconfig(name).stat().st_mode) == 0o600
        cert = x509.load_pem_x509_certificate((layout.pki / f"{name}.crt").read_bytes())
        assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == user
        assert [a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)] == list(groups)
    serving = x509.load_pem_x509_certificate((layout.pki / "apiserver.crt").read_bytes())
    names = serving.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "kubernetes.default.svc" in names.get_values_for_type(x509.DNSName)
    ca = x509.load_pem_x509_certificate(layout.ca.cert_path.read_bytes())
    assert serving.issuer == ca.subject
    before = layout.ca.cert_path.read_bytes()
    layout.ensure_pki()
    assert layout.ca.cert_path.read_bytes() == before, "the CA is made once"
