"""The access group roles of the iam module: trust only the members, with MFA for people and the session tag
`team`; describe only the cluster. (The inventory of cases/access_groups.yaml checks the alarm; the refusals are in
tftest.yaml and access-role.tftest.yaml.)"""

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
