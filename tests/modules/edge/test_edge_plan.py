
from tests.modules.conftest import case_file

MANAGED = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]


def _rules(plan):
    acl = plan.resource_changes["aws_wafv2_web_acl.this"]["change"]["after"]
    return {rule["name"]: rule for rule in acl["rule"]}


def test_a_rate_limit_per_ip_comes_first_then_the_three_managed_groups_block(planner):
    rules = _rules(planner.plan("edge", case_file("edge", "with_domain", "tfvars")))
    assert sorted(rules, key=lambda name: rules[name]["priority"]) == ["rate-limit-per-ip", *MANAGED]
    rate = rules["rate-limit-per-ip"]
    assert rate["priority"] == 0 and rate["action"][0]["block"] == [{}]
    assert rate["statement"][0]["rate_based_statement"][0]["limit"] == 1000
    assert rate["statement"][0]["rate_based_statement"][0]["aggregate_key_type"] == "IP"
    for name in MANAGED:
        group = rules[name]["statement"][0]["managed_rule_group_statement"][0]
        assert (group["name"], group["vendor_name"], group["excluded_rule"]) == (name, "AWS", [])
        # "none" keeps the group's own blocking actions; "count" would only count.
        assert rules[name]["override_action"] == [{"none": [{}], "count": []}]
        assert rules[name]["visibility_config"][0]["cloudwatch_metrics_enabled"] is True


def test_a_group_can_only_count_while_it_is_tuned(planner):
    rules = _rules(planner.plan("edge", case_file("edge", "load_balancer_aliases", "tfvars")))
    assert rules["AWSManagedRulesCommonRuleSet"]["override_action"] == [{"none": [], "count": [{}]}]
    assert rules["AWSManagedRulesKnownBadInputsRuleSet"]["override_action"] == [{"none": [{}], "count": []}]
