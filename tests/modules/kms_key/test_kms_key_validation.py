import pytest

from tests.modules.conftest import case_file

BASE = case_file("kms_key", "logs_only", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"alias": "alias/x"}, "without the alias/ prefix"),
        ({"alias": "aws/ebs"}, "not under aws/"),
        ({"description": ""}, "description must not be empty"),
        ({"deletion_window_in_days": 3}, "deletion_window_in_days must be between 7 and 30"),
        ({"usage_policy_json": "{}"}, "usage_policy_json must be a policy document"),
        ({"cloudwatch_logs_arn_patterns": ["/aws/test"]}, "must be a log group ARN"),
    ],
    ids=["alias-prefix", "alias-aws", "description", "window", "usage-json", "logs-arn"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("kms-key", BASE, **inputs)
