"""platform/tenants.yaml: the file itself is valid, and every rule of the declaration is enforced by a refusal
that names the key (one line, `Refused`)."""

from __future__ import annotations

import copy

import pytest
import yaml

from tbyte.core.errors import Refused
from tbyte.tenancy import declaration
from tbyte.tenancy.access_policies import ACCESS_POLICIES

ENVIRONMENTS = ["dev", "local", "prod", "stage"]


@pytest.fixture(scope="module")
def document() -> dict:
    return yaml.safe_load(declaration.TENANTS.read_text())


def refusal(document: dict, change) -> str:
    changed = copy.deepcopy(document)
    change(changed)
    with pytest.raises(Refused) as refused:
        declaration.parse(changed, ENVIRONMENTS)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_the_repository_declaration_is_valid():
    parsed = declaration.load()
    assert set(parsed.levels) == {"platform-admin", "break-glass", "team-developer", "read-only", "ci-deployer"}
    assert set(parsed.teams) == {"core", "payments"}
    assert parsed.namespaced_probes and parsed.cluster_probes


def test_team_levels_with_an_access_policy_carry_its_rules_in_their_role():
    parsed = declaration.load()
    for level in parsed.levels.values():
        if level.eks_access_policy and level.scope == "team":
            rules = level.role_rules
            for rule in ACCESS_POLICIES[level.eks_access_policy]["rules"]:
                assert rule in rules, (level.name, rule)
            for rule in level.rules:
                assert rule in rules


def test_only_platform_admin_has_wildcards_and_only_break_glass_cluster_admin():
    parsed = declaration.load()
    for level in parsed.levels.values():
        wildcards = [rule for rule in (*level.rules, *level.cluster_rules) if "*" in str(rule)]
        assert bool(wildcards) == (level.name == "platform-admin"), level.name
        assert (level.cluster_role == "cluster-admin") == (level.name == "break-glass")


CASES = [
    ("a wildcard outside platform-admin",
     lambda d: d["levels"]["read-only"]["rules"].append({"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}),
     "levels.read-only.rules[1]: wildcard verbs, resources or API groups are allowed only for platform-admin"),
    ("a wildcard verb in cluster rules",
     lambda d: d["levels"]["read-only"]["cluster_rules"][0].update(verbs=["*"]),
     "wildcard verbs, resources or API groups are allowed only for platform-admin"),
    ("cluster-admin for another level",
     lambda d: d["levels"]["platform-admin"].update(cluster_role="cluster-admin", rules=None),
     "levels.platform-admin.cluster_role: only break-glass binds a built-in ClusterRole"),
    ("the cluster-admin access policy for another level",
     lambda d: d["levels"]["platform-admin"].update(eks_access_policy="AmazonEKSClusterAdminPolicy"),
     "levels.platform-admin.eks_access_policy: only break-glass may have cluster-admin rights"),
    ("an unknown access policy",
     lambda d: d["levels"]["read-only"].update(eks_access_policy="AmazonEKSEverythingPolicy"),
     "unknown access policy 'AmazonEKSEverythingPolicy'"),
    ("a namespace-scoped policy at cluster scope",
     lambda d: d["levels"]["platform-admin"].update(eks_access_policy="AmazonEKSViewPolicy"),
     "AmazonEKSViewPolicy is not used at cluster scope"),
    ("an unknown verb",
     lambda d: d["levels"]["ci-deployer"]["rules"][0]["verbs"].append("own"),
     "levels.ci-deployer.rules[0].verbs: unknown verb(s) own"),
    ("an unknown level key", lambda d: d["levels"]["read-only"].update(owner="x"), "unknown key(s) owner"),
    ("a level granting nothing", lambda d: d["levels"]["ci-deployer"].update(rules=[]), "it would grant nothing"),
    ("an unknown environment", lambda d: d["levels"]["team-developer"].update(environments=["qa"]),
     "levels.team-developer.environments: unknown environment(s) qa"),
    ("a team namespace that is not restricted",
     lambda d: d["teams"]["core"]["namespaces"]["tbyte"].update(pod_security="baseline"),
     "teams.core.namespaces.tbyte: unknown key(s) pod_security"),
    ("a baseline add-on namespace without its reason",
     lambda d: d["platform"]["namespaces"]["monitoring"].pop("reason"),
     "platform.namespaces.monitoring.reason: pod_security baseline needs the reason"),
    ("an unknown pod security level",
     lambda d: d["platform"]["namespaces"]["monitoring"].update(pod_security="open"),
     "'open' is not one of privileged, baseline, restricted"),
    ("a size missing for an environment",
     lambda d: d["teams"]["core"]["namespaces"]["tbyte"].update(size={"local": "small", "dev": "small"}),
     "teams.core.namespaces.tbyte.size: prod: None is not one of the sizes"),
    ("an unknown size", lambda d: d["teams"]["payments"]["namespaces"]["payments"].update(size="huge"),
     "'huge' is not one of the sizes"),
    ("a quota without pods", lambda d: d["sizes"]["small"]["quota"].pop("pods"),
     "sizes.small.quota: pods is required"),
    ("a namespace declared twice",
     lambda d: d["teams"]["payments"]["namespaces"].update(tbyte={"size": "small"}),
     "namespace tbyte: declared twice (core and payments)"),
    ("a reserved namespace",
     lambda d: d["teams"]["payments"]["namespaces"].update({"kube-system": {"size": "small"}}),
     "teams.payments.namespaces.kube-system: is not a namespace name of its own"),
    ("a team called platform",
     lambda d: d["teams"].update(platform=d["teams"]["payments"]), "teams.platform: a team name is"),
    ("a cluster level among a team's members",
     lambda d: d["teams"]["core"]["members"].update({"platform-admin": ["arn:aws:iam::444455556666:user/x"]}),
     "teams.core.members.platform-admin: not a team level"),
    ("a member that is not an IAM user or role ARN",
     lambda d: d["teams"]["core"]["members"]["read-only"].append("arn:aws:iam::444455556666:group/devs"),
     "teams.core.members.read-only: 'arn:aws:iam::444455556666:group/devs' is not valid"),
    ("a cluster level without members", lambda d: d["platform"]["members"].pop("break-glass"),
     "platform.members.break-glass: a cluster level needs at least one member"),
    ("a service account outside the team's namespaces",
     lambda d: d["teams"]["payments"]["service_accounts"].update(tbyte=["x"]),
     "teams.payments.service_accounts.tbyte: is not one of the team's namespaces"),
    ("a probe with an unknown verb", lambda d: d["matrix"]["namespaced"].append("read pods"),
     "matrix.namespaced[20]: 'read pods' is not"),
    ("a checkov skip without its reason",
     lambda d: d["levels"]["platform-admin"]["checkov_skips"].update(CKV_K8S_49=""),
     "levels.platform-admin.checkov_skips.CKV_K8S_49: needs a CKV_K8S_, CKV2_K8S_ or CKV_TBYTE_ check id and a one-line reason"),
    ("an unknown top-level key", lambda d: d.update(owners=[]), "the file: unknown key(s) owners"),
]


@pytest.mark.parametrize(("change", "message"), [(change, message) for _, change, message in CASES],
                         ids=[name for name, _, _ in CASES])
def test_refusals(document, change, message):
    assert message in refusal(document, change)


def test_unreadable_and_invalid_files_are_refused(tmp_path):
    with pytest.raises(Refused, match="cannot be read"):
        declaration.load(tmp_path / "missing.yaml")
    broken = tmp_path / "tenants.yaml"
    broken.write_text("levels: [unclosed\n")
    with pytest.raises(Refused, match="is not valid YAML"):
        declaration.load(broken)
