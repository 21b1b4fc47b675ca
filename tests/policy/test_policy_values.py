"""The logic of the custom checks (policies/checks/tbyte_policy_values.py), on values shaped the way checkov passes them."""

import sys

import pytest

from tbyte.core import paths

sys.path.insert(0, str(paths.ROOT / "policies" / "checks"))
import tbyte_policy_values as values  # noqa: E402


def plan_tags(**tags):
    """tags_all as the plan parser hands it to a check: one map whose values are wrapped in lists."""
    return [{name.replace("_", "-"): [value] for name, value in tags.items()}]


def test_all_three_tags_present():
    conf = {"tags_all": plan_tags(environment="prod", owner="platform-team", cost_center="tbyte")}
    assert values.missing_tags(conf) == []


def test_missing_and_empty_tags_are_reported():
    conf = {"tags_all": plan_tags(environment="prod", owner="  ")}
    assert values.missing_tags(conf) == ["owner", "cost-center"]


def test_without_tags_all_the_tag_check_does_not_apply():
    assert values.missing_tags({"tags": [{"environment": "prod"}]}) is None


def test_empty_tags_all_misses_everything():
    assert values.missing_tags({"tags_all": [{}]}) == ["environment", "owner", "cost-center"]


def test_environment_from_tags_all_then_tags_never_from_an_expression():
    assert values.environment({"tags_all": plan_tags(environment="prod")}) == "prod"
    assert values.environment({"tags": [{"environment": "stage"}]}) == "stage"
    assert values.environment({"tags": [{"environment": "${var.environment}"}]}) is None
    assert values.environment({}) is None


@pytest.mark.parametrize(("value", "expected"), [
    ([True], True), ([False], False), (["true"], True), ("false", False), ([None], None), (None, None),
    (["${var.x}"], None),
])
def test_boolean(value, expected):
    assert values.boolean(value) is expected


@pytest.mark.parametrize(("protocol", "low", "high", "port", "expected"), [
    (["tcp"], [22], [22], 22, True),
    (["tcp"], [20], [30], 22, True),
    (["tcp"], [23], [5431], 22, False),
    (["tcp"], [0], [65535], 5432, True),
    (["6"], [5432], [5432], 5432, True),
    (["-1"], [0], [0], 5432, True),
    (["all"], [0], [0], 22, True),
    (["udp"], [0], [65535], 22, False),
    (["icmp"], [-1], [-1], 22, False),
    (["tcp"], ["${var.port}"], ["${var.port}"], 22, None),
    (["${var.protocol}"], [22], [22], 22, None),
])
def test_opens_port(protocol, low, high, port, expected):
    assert values.opens_port(protocol, low, high, port) is expected


def test_world_open_admin_ports_on_ipv4_and_ipv6():
    rule = {"protocol": ["tcp"], "from_port": [22], "to_port": [22], "cidr_blocks": [["10.0.0.0/8", "0.0.0.0/0"]],
            "ipv6_cidr_blocks": [["::/0"]]}
    assert values.open_admin_ports(rule, (22, 5432)) == ["22 from 0.0.0.0/0", "22 from ::/0"]


def test_a_private_source_is_not_the_world():
    rule = {"protocol": ["-1"], "from_port": [0], "to_port": [0], "cidr_blocks": [["10.0.0.0/16"]]}
    assert values.open_admin_ports(rule, (22, 5432)) == []


def test_security_group_rule_api_keys():
    rule = {"ip_protocol": ["tcp"], "from_port": [5432], "to_port": [5432], "cidr_ipv4": ["0.0.0.0/0"]}
    assert values.open_admin_ports(rule, (22, 5432), protocol_key="ip_protocol",
                                   cidr_keys=("cidr_ipv4", "cidr_ipv6")) == ["5432 from 0.0.0.0/0"]


def test_rbac_wildcards_are_found_in_every_rule():
    rules = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
             {"apiGroups": ["apps"], "resources": ["*"], "verbs": ["get"]},
             {"apiGroups": ["*"], "resources": ["deployments"], "verbs": ["*"]},
             {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]
    assert values.rbac_wildcards(rules) == ["rules[1].resources", "rules[2].verbs", "rules[2].apiGroups"]
    assert values.rbac_wildcards(rules[:1]) == []
    assert values.rbac_wildcards(None) == [] and values.rbac_wildcards([None]) == []
