import pytest

from tests.modules.conftest import case_file

BASE = case_file("edge", "no_domain", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "TByte"}, "name must be 3-50 characters"),
        ({"rate_limit": 50}, "rate_limit must be a whole number of requests between 100 and 2000000000"),
        ({"managed_rule_groups": {"MyRules": {"priority": 10}}}, "managed_rule_groups names must be AWS managed rule groups"),
        ({"managed_rule_groups": {"AWSManagedRulesAmazonIpReputationList": {"priority": 10},
                                  "AWSManagedRulesCommonRuleSet": {"priority": 10},
                                  "AWSManagedRulesKnownBadInputsRuleSet": {"priority": 30}}},
         "managed_rule_groups priorities must be distinct whole numbers of at least 1"),
        ({"managed_rule_groups": {"AWSManagedRulesCommonRuleSet": {"priority": 20}}},
         "managed_rule_groups must keep AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList"),
        ({"managed_rule_groups": {"AWSManagedRulesAmazonIpReputationList": {"priority": 10},
                                  "AWSManagedRulesCommonRuleSet": {"priority": 20},
                                  "AWSManagedRulesKnownBadInputsRuleSet": {"priority": 30, "count_only": True}}},
         "AWSManagedRulesKnownBadInputsRuleSet must block"),
        ({"redacted_headers": ["Authorization"]}, "redacted_headers must be lowercase header names"),
        ({"log_retention_days": 10}, "log_retention_days must be a retention CloudWatch Logs accepts"),
        ({"domain_name": "*.tbyte.example.com"}, "domain_name must be a lowercase domain name"),
        ({"subject_alternative_names": ["WWW.tbyte.example.com"]},
         "Each entry of subject_alternative_names must be a lowercase domain name"),
        ({"hosted_zone_id": "tbyte.example.com"}, "hosted_zone_id must be a Route53 hosted zone ID"),
        ({"alias_records": ["www.tbyte.example.com."]}, "Each entry of alias_records must be a lowercase host name"),
        ({"domain_name": "tbyte.example.com"}, "domain_name needs hosted_zone_id"),
        ({"load_balancer": {"dns_name": "lb.eu-central-1.elb.amazonaws.com", "zone_id": "Z215JYRZR1TBD5"},
          "alias_records": ["www.tbyte.example.com"]}, "alias_records need hosted_zone_id"),
    ],
    ids=["name", "rate-limit", "managed-group-vendor", "managed-group-priorities", "managed-groups-required",
         "known-bad-inputs-count-only",          "redacted-headers", "log-retention", "domain-wildcard", "san-uppercase", "zone-id", "alias-trailing-dot",
         "domain-without-zone", "aliases-without-zone"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("edge", BASE, **inputs)
