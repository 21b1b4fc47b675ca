"""What an environment makes of the declaration: RBAC evaluation, groups and IAM role names, and the expected
matrix (checked here against the issue's rules, which the declaration must imply)."""

from __future__ import annotations

import pytest

from tbyte.tenancy import rbac
from tbyte.tenancy.model import tenancy

ENVIRONMENTS = ("local", "dev", "stage", "prod")
P = rbac.Probe.parse


@pytest.mark.parametrize(("text", "probe"), [
    ("get pods", rbac.Probe("get", "pods")),
    ("create pods/exec", rbac.Probe("create", "pods", subresource="exec")),
    ("patch deployments.apps", rbac.Probe("patch", "deployments", "apps")),
    ("patch deployments.apps/scale", rbac.Probe("patch", "deployments", "apps", "scale")),
    ("bind clusterroles.rbac.authorization.k8s.io cluster-admin",
     rbac.Probe("bind", "clusterroles", "rbac.authorization.k8s.io", name="cluster-admin")),
])
def test_probes_parse_and_print_back(text, probe):
    assert P(text) == probe
    assert str(probe) == text


@pytest.mark.parametrize("text", ["get", "read pods", "get Pods", "get pods extra words", "* pods"])
def test_malformed_probes_are_refused(text):
    with pytest.raises(ValueError):
        P(text)


@pytest.mark.parametrize(("rule", "probe", "allowed"), [
    ({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}, "get pods", True),
    ({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}, "list pods", False),
    ({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}, "get pods/log", False),
    ({"apiGroups": ["apps"], "resources": ["pods"], "verbs": ["get"]}, "get pods", False),
    ({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}, "create pods/exec", True),
    ({"apiGroups": [""], "resources": ["*/exec"], "verbs": ["create"]}, "create pods/exec", True),
    ({"apiGroups": [""], "resources": ["pods/*"], "verbs": ["create"]}, "create pods/exec", False),
    ({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}, "escalate clusterroles.rbac.authorization.k8s.io", True),
    ({"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"],
      "resourceNames": ["view"]}, "bind clusterroles.rbac.authorization.k8s.io cluster-admin", False),
    ({"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"],
      "resourceNames": ["view"]}, "bind clusterroles.rbac.authorization.k8s.io view", True),
    ({"nonResourceURLs": ["*"], "verbs": ["*"]}, "get pods", False),
])
def test_rules_allow_what_the_rbac_authorizer_allows(rule, probe, allowed):
    assert rbac.rule_allows(rule, P(probe)) is allowed


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_groups_roles_and_names(env):
    declared = tenancy(env)
    account = declared.account_id
    for group in declared.groups:
        assert group.role_arn == f"arn:aws:iam::{account}:role/{group.role_name}"
        assert group.role_name.startswith(f"tbyte-{env}-") and len(group.role_name) <= 64
        if group.level.scope == "cluster":
            assert group.kubernetes_group == f"tbyte:{group.level.name}" and group.namespaces == ()
        else:
            assert group.kubernetes_group == f"tbyte:{group.team}:{group.level.name}" and group.namespaces
        assert group.members and all("{" not in member for member in group.members)
    deployers = [group for group in declared.groups if group.level.name == "ci-deployer"]
    assert {member for group in deployers for member in group.members} == {
        f"arn:aws:iam::{account}:role/tbyte-{env}-github-deploy"}


def test_developers_exist_outside_prod_only():
    assert any(group.level.name == "team-developer" for group in tenancy("stage").groups)
    assert not any(group.level.name == "team-developer" for group in tenancy("prod").groups)


def test_the_api_service_account_of_the_irsa_role_is_declared_by_its_team():
    """modules/iam binds the app role to tbyte/api by default, and the releases run in namespace tbyte."""
    accounts = {(namespace, name) for namespace, name, _ in tenancy("dev").service_accounts}
    assert ("tbyte", "api") in accounts
    assert {("tbyte", release) for release in ("frontend", "api", "worker")} <= accounts


def expected(declared, subject_name, probe, namespace):
    subject = next(subject for subject in declared.subjects() if subject.name == subject_name)
    return declared.expected(subject, P(probe), namespace)


WRITES = ["create pods", "delete pods", "create pods/exec", "create secrets", "patch configmaps", "patch services",
          "patch deployments.apps", "delete deployments.apps", "patch rollouts.argoproj.io",
          "create rolebindings.rbac.authorization.k8s.io", "patch networkpolicies.networking.k8s.io",
          "delete resourcequotas"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_declared_matrix_implies_the_issues_rules(env):
    declared = tenancy(env)
    namespaces = declared.check_namespaces
    teams = {group.team: group.namespaces for group in declared.groups if group.team != "platform"}
    for group in declared.groups:
        name, level = group.key, group.level.name
        others = [ns for ns in namespaces if ns not in group.namespaces]
        if level == "team-developer":
            assert all(not expected(declared, name, "get secrets", ns) for ns in others)
            assert all(expected(declared, name, "get secrets", ns) for ns in group.namespaces)
            assert not expected(declared, name, "create pods/exec", "kube-system")
            assert not expected(declared, name, "create clusterrolebindings.rbac.authorization.k8s.io", "")
        if level == "ci-deployer":
            for ns in group.namespaces:
                for probe in ("patch deployments.apps", "patch rollouts.argoproj.io", "patch services",
                              "patch configmaps"):
                    assert expected(declared, name, probe, ns)
                for probe in set(WRITES) - {"patch deployments.apps", "patch rollouts.argoproj.io", "patch services",
                                            "patch configmaps"}:
                    assert not expected(declared, name, probe, ns), probe
                assert not expected(declared, name, "get secrets", ns)
            assert not any(expected(declared, name, probe, ns) for probe in WRITES for ns in others)
        if level == "read-only":
            assert not any(expected(declared, name, probe, ns) for probe in WRITES for ns in namespaces)
            assert not any(expected(declared, name, str(probe), "") for probe in declared.cluster_probes
                           if probe.writes and probe.resource != "subjectaccessreviews")
            assert expected(declared, name, "create subjectaccessreviews.authorization.k8s.io", "")
            assert not expected(declared, name, "get secrets", group.namespaces[0])
        if level != "break-glass":
            assert not expected(declared, name, "bind clusterroles.rbac.authorization.k8s.io cluster-admin", "")
            assert not expected(declared, name, "impersonate users", "")
            assert not expected(declared, name, "escalate clusterroles.rbac.authorization.k8s.io", "")
    assert set(teams) == {"core", "payments"}
    for subject in declared.subjects():
        if subject.group is None:
            assert not any(expected(declared, subject.name, str(probe), ns)
                           for probe in declared.namespaced_probes for ns in namespaces)
