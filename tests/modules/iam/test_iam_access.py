"""The access group roles of the iam module: trust only the members, with MFA for people and the session tag
`team`; describe only the cluster; the break-glass role's use alarms."""

import json

import pytest

from tests.modules.conftest import case_file

CASE = case_file("iam", "access_groups", "tfvars")
ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def plan(planner):
    return planner.plan("iam", CASE)


def after(plan, address):
    return plan.resource_changes[address]["change"]["after"]


def listed(value):
    """A policy's values as lists (provider versions differ in writing one value bare or in a list)."""
    if isinstance(value, dict):
        return {key: listed(item) for key, item in value.items()}
    return sorted(value) if isinstance(value, list) else [value]


def statements(plan, key):
    document = json.loads(after(plan, f'module.access["{key}"].aws_iam_role.this')["assume_role_policy"])
    return {statement["Sid"]: statement for statement in document["Statement"]}


def test_people_need_mfa_and_the_team_session_tag(plan):
    trust = statements(plan, "core-read-only")
    members = ["arn:aws:iam::444455556666:user/lea.martin", "arn:aws:iam::444455556666:user/marta.rossi"]
    assume = trust["Members"]
    assert assume["Action"] == "sts:AssumeRole" and assume["Effect"] == "Allow"
    assert listed(assume["Principal"]["AWS"]) == members
    assert listed(assume["Condition"]) == {"Bool": {"aws:MultiFactorAuthPresent": ["true"]},
                                           "StringEquals": {"aws:RequestTag/team": ["core"]}}
    tag = trust["TeamSessionTag"]
    assert tag["Action"] == "sts:TagSession" and listed(tag["Principal"]["AWS"]) == members
    assert listed(tag["Condition"]) == {"StringEquals": {"aws:RequestTag/team": ["core"]},
                                        "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}
    assert set(trust) == {"Members", "TeamSessionTag"}


def test_the_ci_role_needs_the_tag_but_no_mfa(plan):
    assume = statements(plan, "core-ci-deployer")["Members"]
    assert listed(assume["Principal"]["AWS"]) == [f"arn:aws:iam::{ACCOUNT}:role/tbyte-dev-github-deploy"]
    assert listed(assume["Condition"]) == {"StringEquals": {"aws:RequestTag/team": ["core"]}}


def test_a_group_role_may_only_describe_its_cluster(plan):
    policy = json.loads(after(plan, 'module.access["break-glass"].aws_iam_role_policy.this')["policy"])
    assert policy["Statement"] == [{"Sid": "DescribeCluster", "Effect": "Allow", "Action": "eks:DescribeCluster",
                                    "Resource": f"arn:aws:eks:eu-central-1:{ACCOUNT}:cluster/tbyte-dev"}]


def test_a_break_glass_group_without_its_alarm_is_refused(planner):
    message = planner.plan_error("iam", CASE, break_glass_alarm=None)
    assert "A break-glass group needs break_glass_alarm" in message


@pytest.mark.parametrize(("override", "message"), [
    ({"members": ["arn:aws:iam::444455556666:user/*"]}, "members must list at least one IAM user or role ARN"),
    ({"members": []}, "members must list at least one IAM user or role ARN"),
    ({"team": "Core"}, "team must be 2-20 lowercase letters"),
    ({"max_session_hours": 13}, "max_session_hours must be a whole number from 1 to 12"),
])
def test_invalid_groups_are_refused(planner, override, message):
    group = {"role_name": "tbyte-dev-x", "team": "core", "members": ["arn:aws:iam::444455556666:user/a"],
             "require_mfa": True, "max_session_hours": 1, "break_glass": False, "description": "x"}
    assert message in planner.plan_error("iam", CASE, access_groups={"x": {**group, **override}})


def test_two_groups_with_one_role_name_are_refused(planner):
    group = {"role_name": "tbyte-dev-x", "team": "core", "members": ["arn:aws:iam::444455556666:user/a"],
             "require_mfa": True, "max_session_hours": 1, "break_glass": False, "description": "x"}
    message = planner.plan_error("iam", CASE, access_groups={"a": group, "b": group})
    assert "Each access group needs a role name of its own" in message
