import json
from fnmatch import fnmatch

import pytest

from tests.modules.conftest import case_file, module_cases

ROOT = "arn:aws:iam::123456789012:root"
# What encrypts, decrypts or delegates use: the account root must never hold any of it unconditionally.
USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
               "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:CreateGrant"]


def statements(planner, case):
    plan = planner.plan("kms-key", case_file("kms_key", case, "tfvars"))
    policy = json.loads(plan.resources["aws_kms_key.this"]["values"]["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def covers(statement: dict, action: str) -> bool:
    return any(fnmatch(action.lower(), pattern.lower()) for pattern in as_list(statement["Action"]))


def test_the_account_root_administers_and_only_named_log_groups_use_it(planner):
    policy = statements(planner, "logs_only")
    assert set(policy) == {"AccountAdministration", "AccountGrantsForAwsResources", "CloudWatchLogsUseForTheseLogGroups"}
    assert policy["AccountAdministration"]["Principal"] == {"AWS": ROOT}
    logs = policy["CloudWatchLogsUseForTheseLogGroups"]
    assert logs["Principal"] == {"Service": "logs.eu-central-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             ["arn:aws:logs:eu-central-1:123456789012:log-group:/aws/test/*"]}}


@pytest.mark.parametrize("case", module_cases("kms_key"))
def test_the_account_root_administers_but_cannot_use_the_key(planner, case):
    policy = statements(planner, case)
    administration = policy["AccountAdministration"]
    assert "Condition" not in administration
    actions = as_list(administration["Action"])
    assert all("*" not in action for action in actions), actions
    assert {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DescribeKey", "kms:TagResource"} <= set(actions)
    assert not [action for action in USE_ACTIONS if covers(administration, action)]
    # Every other statement naming the root is bounded: grants only for AWS resources.
    for sid, statement in policy.items():
        if statement.get("Principal") == {"AWS": ROOT} and sid != "AccountAdministration":
            assert statement["Condition"] in (
                {"Bool": {"kms:GrantIsForAWSResource": "true"}},
                {"Bool": {"kms:GrantIsForAWSResource": ["true"]}},
            ), sid
            assert set(as_list(statement["Action"])) == {"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}


def test_usage_statements_are_added_to_the_administration(planner):
    policy = statements(planner, "usage_statements")
    assert set(policy) == {"AccountAdministration", "AccountGrantsForAwsResources", "RoleUse"}
    assert policy["RoleUse"]["Principal"] == {"AWS": "arn:aws:iam::123456789012:role/user"}
