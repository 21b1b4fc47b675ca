import json

import pytest

from tests.modules.conftest import assert_inventory, case_file, module_cases


@pytest.mark.parametrize("case", module_cases("kms_key"))
def test_plan_matches_inventory(planner, case):
    plan = planner.plan("kms-key", case_file("kms_key", case, "tfvars"))
    assert_inventory(plan, case_file("kms_key", case, "yaml"))


def statements(planner, case):
    plan = planner.plan("kms-key", case_file("kms_key", case, "tfvars"))
    policy = json.loads(plan.resources["aws_kms_key.this"]["values"]["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_the_account_root_administers_and_only_named_log_groups_use_it(planner):
    policy = statements(planner, "logs_only")
    assert set(policy) == {"AccountAdministration", "CloudWatchLogsUseForTheseLogGroups"}
    assert policy["AccountAdministration"]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    logs = policy["CloudWatchLogsUseForTheseLogGroups"]
    assert logs["Principal"] == {"Service": "logs.eu-central-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             ["arn:aws:logs:eu-central-1:123456789012:log-group:/aws/test/*"]}}


def test_usage_statements_are_added_to_the_administration(planner):
    policy = statements(planner, "usage_statements")
    assert set(policy) == {"AccountAdministration", "RoleUse"}
    assert policy["RoleUse"]["Principal"] == {"AWS": "arn:aws:iam::123456789012:role/user"}
