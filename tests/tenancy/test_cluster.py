"""The tenancy against a real API server (RBAC on, client certificates, Pod Security Admission, ResourceQuota):
the chart installed into a local control plane, then every cell of the declared matrix asked with
SubjectAccessReviews, the issue's rules asked directly, and admission tried with real pods.

Slow: the `cluster` fixture (tests/tenancy/conftest.py) starts the local control plane for the session (~1 GB).
"""

from __future__ import annotations

import json
import time

import pytest
import yaml

from tbyte.tenancy import check, identity, manifests
from tbyte.tenancy.kube import Kube
from tbyte.tenancy.model import tenancy
from tbyte.tenancy.rbac import Probe
from tests.conftest import run_invoke

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("tenancy-cluster")]

AUTHENTICATED = "system:authenticated"
RESTRICTED_CONTEXT = {"runAsNonRoot": True, "runAsUser": 65532, "allowPrivilegeEscalation": False,
                      "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


@pytest.fixture(scope="module")
def installed(cluster):
    """The local tenancy installed (helm upgrade --install), its quotas counted by the controller-manager."""
    declared = tenancy("local")
    manifests.install(declared, cluster.kubeconfig, cluster.context, log=lambda message: None)
    admin = Kube.from_kubeconfig(cluster.kubeconfig, cluster.context)
    deadline = time.monotonic() + 60
    for namespace in declared.namespaces:
        while True:
            status, quota = admin.request("GET", f"/api/v1/namespaces/{namespace.name}/resourcequotas/tenancy")
            if status == 200 and (quota.get("status") or {}).get("hard"):
                break
            assert time.monotonic() < deadline, f"the quota of {namespace.name} was never counted"
            time.sleep(0.2)
    return admin, declared


def allowed(admin: Kube, groups, probe: str, namespace: str = "", user: str = "someone") -> bool:
    return admin.access_review(user, (*groups, AUTHENTICATED), Probe.parse(probe).resource_attributes(namespace))[0]


def pod(name: str, security: dict | None = None, resources: dict | None = None, **spec) -> dict:
    container = {"name": "main", "image": "registry.k8s.io/pause:3.10",
                 "securityContext": security if security is not None else RESTRICTED_CONTEXT}
    if resources is not None:
        container["resources"] = resources
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [container], "automountServiceAccountToken": False,
                     "tolerations": [{"key": "kwok.x-k8s.io/node", "operator": "Exists", "effect": "NoSchedule"}],
                     **spec}}


def test_every_cell_of_the_matrix_is_as_declared(installed, cluster):
    _, declared = installed
    matrix = check.run(declared, cluster.kubeconfig, cluster.context)
    assert len(matrix.cells) == len(check.cells_to_ask(declared)) > 1000
    assert not matrix.mismatches, matrix.mismatches[:5]
    answers = {cell.allowed for cell in matrix.cells}
    assert answers == {True, False}


def test_the_check_finds_a_right_the_declaration_does_not_give(installed, cluster):
    admin, declared = installed
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
               "metadata": {"name": "not-declared", "namespace": "payments"},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
               "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "tbyte:core:read-only"}]}
    status, _ = admin.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings", binding)
    assert status == 201
    try:
        mismatches = check.run(declared, cluster.kubeconfig, cluster.context).mismatches
    finally:
        admin.request("DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/not-declared")
    assert mismatches and {(cell.subject, cell.namespace) for cell in mismatches} == {("core-read-only", "payments")}
    assert all(cell.allowed and not cell.expected and "not-declared" in cell.reason for cell in mismatches)


def test_developers_stay_in_their_team(installed):
    admin, _ = installed
    developer = ["tbyte:core:team-developer"]
    assert allowed(admin, developer, "get secrets", "tbyte")
    for namespace in ("payments", "kube-system", "monitoring"):
        assert not allowed(admin, developer, "get secrets", namespace)
        assert not allowed(admin, developer, "list secrets", namespace)
    assert allowed(admin, developer, "create pods/exec", "tbyte")
    assert not allowed(admin, developer, "create pods/exec", "kube-system")
    assert not allowed(admin, developer, "get pods/exec", "kube-system")
    assert not allowed(admin, developer, "create clusterrolebindings.rbac.authorization.k8s.io")
    assert not allowed(admin, developer, "create rolebindings.rbac.authorization.k8s.io", "tbyte")
    assert not allowed(admin, developer, "patch networkpolicies.networking.k8s.io", "tbyte")
    assert not allowed(admin, developer, "list secrets")


DEPLOYED_KINDS = ["deployments.apps", "rollouts.argoproj.io", "services", "configmaps"]
OTHER_WRITES = ["create secrets", "patch secrets", "get secrets", "delete deployments.apps", "delete services",
                "create pods", "create pods/exec", "patch roles.rbac.authorization.k8s.io",
                "create rolebindings.rbac.authorization.k8s.io", "patch networkpolicies.networking.k8s.io",
                "patch resourcequotas", "patch limitranges", "create serviceaccounts", "patch statefulsets.apps",
                "patch horizontalpodautoscalers.autoscaling", "patch ingresses.networking.k8s.io"]


def test_ci_deployer_only_patches_deployments_rollouts_services_and_configmaps_of_its_namespaces(installed):
    admin, declared = installed
    deployer = ["tbyte:core:ci-deployer"]
    for kind in DEPLOYED_KINDS:
        assert allowed(admin, deployer, f"patch {kind}", "tbyte"), kind
        for namespace in [name for name in declared.check_namespaces if name != "tbyte"]:
            assert not allowed(admin, deployer, f"patch {kind}", namespace), (kind, namespace)
    for request in OTHER_WRITES:
        assert not allowed(admin, deployer, request, "tbyte"), request
    assert not allowed(admin, deployer, "create namespaces")


READS_AND_WRITES = ["pods", "pods/exec", "secrets", "configmaps", "services", "serviceaccounts",
                    "deployments.apps", "statefulsets.apps", "rollouts.argoproj.io", "jobs.batch",
                    "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
                    "networkpolicies.networking.k8s.io", "resourcequotas", "limitranges", "events"]


def test_read_only_cannot_write_anything(installed):
    admin, declared = installed
    for group in [group for group in declared.groups if group.level.name == "read-only"]:
        for namespace in declared.check_namespaces:
            for resource in READS_AND_WRITES:
                for verb in ("create", "update", "patch", "delete", "deletecollection"):
                    assert not allowed(admin, [group.kubernetes_group], f"{verb} {resource}", namespace), \
                        (group.key, verb, resource, namespace)
        for request in ("create namespaces", "create clusterrolebindings.rbac.authorization.k8s.io",
                        "patch nodes", "impersonate users", "impersonate serviceaccounts"):
            assert not allowed(admin, [group.kubernetes_group], request)
        assert allowed(admin, [group.kubernetes_group], "get pods", group.namespaces[0])
        assert not allowed(admin, [group.kubernetes_group], "get secrets", group.namespaces[0])


def test_only_break_glass_is_bound_to_cluster_admin(installed):
    admin, _ = installed
    subjects = []
    for path in ("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                 "/apis/rbac.authorization.k8s.io/v1/rolebindings"):
        status, bindings = admin.request("GET", path)
        assert status == 200
        for binding in bindings["items"]:
            if binding["roleRef"]["name"] == "cluster-admin":
                subjects += [(subject["kind"], subject["name"]) for subject in binding.get("subjects") or []]
    # system:masters is the API server's own bootstrap binding (no IAM role maps to it).
    assert sorted(subjects) == [("Group", "system:masters"), ("Group", "tbyte:break-glass")]
    assert not allowed(admin, ["tbyte:platform-admin"], "bind clusterroles.rbac.authorization.k8s.io cluster-admin")
    assert allowed(admin, ["tbyte:break-glass"], "bind clusterroles.rbac.authorization.k8s.io cluster-admin")


# A pod only the `privileged` Pod Security level admits: host namespaces, a host path, SYS_ADMIN. (Not
# securityContext.privileged: the local API server runs without --allow-privileged, so it refuses that field
# before admission; EKS allows it, and Pod Security is what refuses it there.)
def privileged_pod(name: str) -> dict:
    manifest = pod(name, {"capabilities": {"add": ["SYS_ADMIN"]}}, hostNetwork=True, hostPID=True,
                   volumes=[{"name": "host", "hostPath": {"path": "/"}}])
    manifest["spec"]["containers"][0]["volumeMounts"] = [{"name": "host", "mountPath": "/host"}]
    return manifest


def test_pod_security_rejects_a_privileged_pod_in_a_team_namespace(installed):
    admin, declared = installed
    developer = admin.impersonating("marta", ("tbyte:core:team-developer",))
    status, answer = developer.request("POST", "/api/v1/namespaces/tbyte/pods", privileged_pod("privileged"))
    assert status == 403, answer
    version = f"v{declared.kubernetes_version}"
    message = answer["message"]
    assert message.startswith(f'pods "privileged" is forbidden: violates PodSecurity "restricted:{version}": ')
    for violation in ("host namespaces (hostNetwork=true, hostPID=true)",
                      'container "main" must not include "SYS_ADMIN" in securityContext.capabilities.add',
                      'restricted volume types (volume "host" uses restricted volume type "hostPath")'):
        assert violation in message, message


def test_a_restricted_pod_is_admitted_with_the_limit_range_defaults(installed):
    admin, declared = installed
    developer = admin.impersonating("marta", ("tbyte:core:team-developer",))
    status, answer = developer.request("POST", "/api/v1/namespaces/tbyte/pods?dryRun=All", pod("compliant"))
    assert status == 201, answer
    namespace = next(namespace for namespace in declared.namespaces if namespace.name == "tbyte")
    resources = answer["spec"]["containers"][0]["resources"]
    assert resources == {"requests": namespace.container["defaultRequest"], "limits": namespace.container["default"]}


def test_the_baseline_namespace_admits_chown_as_root_but_not_a_privileged_pod(installed):
    admin, declared = installed
    version = f"v{declared.kubernetes_version}"
    chown = pod("chown", {"runAsUser": 0, "runAsNonRoot": False, "capabilities": {"add": ["CHOWN"], "drop": ["ALL"]},
                          "seccompProfile": {"type": "RuntimeDefault"}})
    status, answer = admin.request("POST", "/api/v1/namespaces/monitoring/pods?dryRun=All", chown)
    assert status == 201, answer
    status, answer = admin.request("POST", "/api/v1/namespaces/tbyte/pods?dryRun=All", chown)
    assert status == 403 and f'violates PodSecurity "restricted:{version}"' in answer["message"]
    status, answer = admin.request("POST", "/api/v1/namespaces/monitoring/pods?dryRun=All",
                                   privileged_pod("privileged"))
    assert status == 403 and f'violates PodSecurity "baseline:{version}"' in answer["message"], answer


def test_the_quota_rejects_the_pod_over_the_limit(installed):
    admin, declared = installed
    namespace = next(namespace for namespace in declared.namespaces if namespace.name == "payments")
    largest = namespace.container["max"]["cpu"]
    per_pod = {"requests": {"cpu": largest, "memory": "64Mi"}, "limits": {"cpu": largest, "memory": "64Mi"}}
    room = int(float(namespace.quota["requests.cpu"]) // float(largest))
    developer = admin.impersonating("lea", ("tbyte:payments:team-developer",))
    created = []
    try:
        for index in range(room):
            status, answer = developer.request("POST", "/api/v1/namespaces/payments/pods",
                                               pod(f"fill-{index}", resources=per_pod))
            assert status == 201, answer
            created.append(f"fill-{index}")
        status, answer = developer.request("POST", "/api/v1/namespaces/payments/pods",
                                           pod("one-too-many", resources=per_pod))
        assert status == 403, answer
        assert answer["message"].startswith('pods "one-too-many" is forbidden: exceeded quota: tenancy, '
                                            f"requested: requests.cpu={largest}")
        assert f"limited: requests.cpu={namespace.quota['requests.cpu']}" in answer["message"]
        status, answer = developer.request("POST", "/api/v1/namespaces/payments/pods",
                                           pod("too-large", resources={"limits": {"cpu": "64", "memory": "64Mi"}}))
        assert status == 403 and f"maximum cpu usage per Container is {largest}" in answer["message"]
    finally:
        for name in created:
            admin.request("DELETE", f"/api/v1/namespaces/payments/pods/{name}?gracePeriodSeconds=0")


def test_load_balancer_services_are_refused_by_the_quota(installed):
    admin, _ = installed
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "public"},
               "spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "selector": {"app": "x"}}}
    status, answer = admin.request("POST", "/api/v1/namespaces/tbyte/services?dryRun=All", service)
    assert status == 403 and "exceeded quota: tenancy" in answer["message"], answer
    assert "services.loadbalancers=1" in answer["message"]


def kubeconfig_for(cluster, tmp_path, user: str, groups: list[str]):
    """A kubeconfig whose client certificate (CN = user, O = groups) is signed by the cluster's CA."""
    return identity.client_kubeconfig(cluster.ca_cert, cluster.ca_key, cluster.endpoint, user, tuple(groups), tmp_path,
                                      cluster.context)


def test_the_check_task_runs_with_read_only_credentials(installed, cluster, tmp_path):
    path = kubeconfig_for(cluster, tmp_path, "lea", ["tbyte:payments:read-only"])
    result = run_invoke("tenancy.check", "--env", "local", "--kubeconfig", str(path), "--kube-context", cluster.context,
                        "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["differ"] == 0 and summary["cells"] == summary["as_declared"] > 1000
    table = run_invoke("tenancy.check", "--env", "local", "--kubeconfig", str(path), "--kube-context", cluster.context)
    assert table.returncode == 0, table.stderr
    assert "namespaced requests" in table.stdout and "cluster-wide requests" in table.stdout
    assert "every one as platform/tenants.yaml declares" in table.stderr


def test_the_check_task_refuses_credentials_that_cannot_review_access(installed, cluster, tmp_path):
    path = kubeconfig_for(cluster, tmp_path, "ci", ["tbyte:core:ci-deployer"])
    result = run_invoke("tenancy.check", "--env", "local", "--kubeconfig", str(path), "--kube-context", cluster.context)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"error: the credentials of context {cluster.context} may not create "
                                "SubjectAccessReviews")
    assert "tbyte:read-only:cluster" in lines[-1]


def test_the_local_releases_pods_are_admitted_in_their_namespace(installed):
    """What `invoke up` deploys after the tenancy (helm/releases/local.yaml) passes Pod Security `restricted`, the
    LimitRange and the quota of its namespace: each workload's pod template, as a pod, in a server-side dry run."""
    import yaml as yaml_

    from tbyte.core.environment import Environment
    from tbyte.helm import outputs as helm_outputs
    from tbyte.helm import render as helm_render

    admin, _ = installed
    rendered = helm_render.render_all(Environment.resolve("local"), helm_outputs.example_outputs("local"))
    documents = [document for text in rendered.values() for document in yaml_.safe_load_all(text) if document]
    workloads = [document for document in documents if document["kind"] in ("Deployment", "Rollout")]
    accounts = [document for document in documents if document["kind"] == "ServiceAccount"]
    assert len(workloads) == 3 and len(accounts) == 3
    try:
        for account in accounts:  # the pods' service accounts must exist to be admitted
            assert admin.request("POST", "/api/v1/namespaces/tbyte/serviceaccounts", account)[0] == 201
        for workload in workloads:
            template = workload["spec"]["template"]
            manifest = {"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": workload["metadata"]["name"], "labels": template["metadata"]["labels"]},
                        "spec": template["spec"]}
            status, answer = admin.request("POST", "/api/v1/namespaces/tbyte/pods?dryRun=All", manifest)
            assert status == 201, (workload["metadata"]["name"], answer.get("message"))
    finally:
        for account in accounts:
            admin.request("DELETE", f"/api/v1/namespaces/tbyte/serviceaccounts/{account['metadata']['name']}")


def test_the_check_of_local_runs_by_default_as_a_read_only_member(installed, cluster):
    port = cluster.endpoint.rsplit(":", 1)[1]
    result = run_invoke("tenancy.check", "--env", "local", "--json", env={"INVOKE_TBYTE_KUBE_PORT": port})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["differ"] == 0
    from tbyte.core import paths

    minted = yaml.safe_load((paths.TOOLCHAIN / "tenancy" / port / "tbyte-tenancy-check.kubeconfig").read_text())
    assert minted["users"][0]["name"] == "tbyte:tenancy-check"
    user = Kube.from_kubeconfig(paths.TOOLCHAIN / "tenancy" / port / "tbyte-tenancy-check.kubeconfig", cluster.context)
    status, review = user.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                  {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    assert status == 201 and review["status"]["userInfo"]["groups"] == ["tbyte:core:read-only", "system:authenticated"]
