"""What the local control plane needs before any release: the upstream CRDs of the local add-ons (the chart's
among them), and the RBAC of the two controllers that run beside it (kwok, Argo Rollouts), every file from a
pinned, checksum-verified module."""

from __future__ import annotations

from tbyte.cluster.kubectl import Kubectl
from tbyte.cluster.layout import CLIENTS
from tbyte.cluster.upstream import manifest
from tbyte.gitops.local import crd_files

ARGO = ("argo-rollouts", "github.com/argoproj/argo-rollouts")
KWOK = ("kwok", "sigs.k8s.io/kwok")
# ClusterRole name -> (its upstream file, the user of our PKI it is bound to)
CONTROLLER_ROLES = {
    "kwok-controller": ((*KWOK, "kustomize/rbac/role.yaml"), CLIENTS["kwok"][0]),
    "argo-rollouts": ((*ARGO, "manifests/role/argo-rollouts-clusterrole.yaml"), CLIENTS["argo-rollouts"][0]),
}


def install_controller_rbac(kubectl: Kubectl) -> None:
    """The upstream ClusterRoles of kwok and Argo Rollouts, bound to the users their certificates name."""
    kubectl.apply(*[manifest(*source) for source, _ in CONTROLLER_ROLES.values()])
    bindings = "\n---\n".join(f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: {role}-local}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {role}}}
subjects: [{{apiGroup: rbac.authorization.k8s.io, kind: User, name: {user}}}]""" for role, (_, user) in
                              CONTROLLER_ROLES.items())
    kubectl.apply(manifest=bindings)
    kubectl.run("create", "namespace", "argo-rollouts", check=False)  # where the controller says it runs


# The IngressClass the AWS Load Balancer Controller's chart installs on EKS, which the chart's Ingresses name. No
# controller runs behind it locally (local has no ALB), as no kubelet runs behind kwok's nodes.
ALB_INGRESS_CLASS = """apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: alb, labels: {app.kubernetes.io/name: aws-load-balancer-controller}}
spec: {controller: ingress.k8s.aws/alb}"""


def install_ingress_class(kubectl: Kubectl) -> None:
    kubectl.apply(manifest=ALB_INGRESS_CLASS)


def install_crds(kubectl: Kubectl) -> list[str]:
    """Apply the CRDs and wait until the API server serves them; their names."""
    files = crd_files()  # every local-capable add-on's (platform/addons), the chart's among them
    kubectl.apply(*files)
    names = [line.split("/", 1)[1] for line in kubectl.run(
        "get", *[arg for file in files for arg in ("-f", str(file))], "-o", "name").stdout.split()]
    kubectl.run("wait", "--for=condition=Established", "--timeout=60s", *[f"crd/{name}" for name in names])
    return names
