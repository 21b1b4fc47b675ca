"""The rules of CKV_TBYTE_5 to 9 (policies/checks/tbyte_iam_values.py), on documents shaped like planned ones."""

import sys

import pytest

from tbyte.core import paths

sys.path.insert(0, str(paths.ROOT / "policies" / "checks"))
import tbyte_iam_values as iam  # noqa: E402

PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
REPO = "repo:tbyte/tbyte-platform"


def policy(*statements) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*", sid="S", **extra) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", sid="D") -> dict:
    return {"Sid": sid, "Effect": "Deny", "Action": action, "Resource": resource}


def github_trust(*subjects, test="StringEquals") -> dict:
    condition = {test: {"token.actions.githubusercontent.com:sub": list(subjects)}} if subjects else {}
    return policy({"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                   "Principal": {"Federated": PROVIDER}, "Condition": condition})


def test_documents_come_wrapped_or_as_json_and_expressions_are_unknown():
    document = policy(allow("s3:GetObject"))
    assert iam.document([document]) == document
    assert iam.document(['{"Statement": []}']) == {"Statement": []}
    assert iam.document(["${data.aws_iam_policy_document.x.json}"]) is None
    assert iam.document([]) is None


@pytest.mark.parametrize(("statement", "action", "expected"), [
    (allow("s3:Get*"), "s3:GetObject", True),
    (allow(["S3:getobject"]), "s3:GetObject", True),  # IAM matches actions case-insensitively
    (allow("s3:Put*"), "s3:GetObject", False),
    (allow("*"), "iam:CreateRole", True),
    ({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}, "iam:CreateRole", False),
    ({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}, "kms:PutKeyPolicy", True),
])
def test_covers(statement, action, expected):
    assert iam.covers(statement, action) is expected


# CKV_TBYTE_5
def test_github_subjects_of_a_trust_policy():
    assert iam.github_subjects(github_trust(f"{REPO}:pull_request")) == [f"{REPO}:pull_request"]
    assert iam.github_subjects(github_trust()) == ["*"], "no sub condition: any workflow"
    other = policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "eks.amazonaws.com"}})
    assert iam.github_subjects(other) is None


@pytest.mark.parametrize(("name", "subjects", "problem"), [
    ("tbyte-dev-github-pr", [f"{REPO}:pull_request"], None),
    ("tbyte-dev-github-plan", [f"{REPO}:ref:refs/heads/main"], None),
    ("tbyte-dev-github-drift", [f"{REPO}:ref:refs/heads/main"], None),
    ("tbyte-dev-github-deploy", [f"{REPO}:environment:dev", f"{REPO}:environment:dev-eu"], None),
    ("tbyte-dev-github-plan", [f"{REPO}:pull_request"], "must be the *-github-pr role"),
    ("tbyte-dev-github-deploy", [f"{REPO}:ref:refs/heads/main"], "must be the *-github-plan or *-github-drift role"),
    ("tbyte-dev-github-deploy", [f"{REPO}:ref:refs/heads/main", f"{REPO}:environment:dev"], "at once"),
    ("tbyte-dev-github-deploy", [f"{REPO}:*"], "wildcard"),
    ("tbyte-dev-github-deploy", ["*"], "wildcard"),
    ("tbyte-dev-github-deploy", [f"{REPO}:ref:refs/tags/v1"], "other than"),
])
def test_trust_problems(name, subjects, problem):
    problems = iam.trust_problems(name, subjects)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in text for text in problems), problems


# CKV_TBYTE_6
PR_DENIES = policy(deny(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::state/*"),
                   deny("kms:Decrypt"), deny(["secretsmanager:GetSecretValue", "ssm:GetParameter"]))


def test_read_only_tiers_follow_the_role_names():
    assert iam.read_only_tier("tbyte-dev-github-pr") == "pull_request"
    assert iam.read_only_tier("tbyte-dev-github-drift") == "branch"
    assert iam.read_only_tier("tbyte-dev-github-deploy") is None
    assert iam.read_only_tier(None) is None


def test_a_pull_request_role_needs_its_denies_and_no_state_read():
    assert iam.read_only_problems(PR_DENIES, "pull_request") == []
    reads_state = policy(allow("s3:GetObject", "arn:aws:s3:::state/*"), *PR_DENIES["Statement"])
    assert iam.read_only_problems(reads_state, "pull_request") == ["S: allows s3:GetObject to pull requests"]
    missing = iam.read_only_problems(policy(deny("s3:*", "arn:aws:s3:::state/*")), "pull_request")
    assert missing == ["no explicit Deny of kms:Decrypt, secretsmanager:GetSecretValue, ssm:GetParameter "
                       "(ReadOnlyAccess or another policy could grant it)"]


def test_a_branch_role_reads_and_decrypts_the_state_but_writes_nothing():
    denies = deny(["s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::state/*")
    reader = policy(allow("s3:GetObject"), allow("kms:Decrypt"), allow(["s3:ListBucket", "ec2:Describe*"]), denies)
    assert iam.read_only_problems(reader, "branch") == []
    locks = policy(allow(["s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::state/*.tflock", sid="Locks"), denies)
    assert iam.read_only_problems(locks, "branch") == ["Locks: allows s3:PutObject, s3:DeleteObject, which is not read-only"]
    assert iam.read_only_problems(policy(allow("s3:*"), denies), "branch") == ["S: allows s3:*, which is not read-only"]
    assert iam.read_only_problems(policy(allow("s3:GetObject")), "branch") == [
        "no explicit Deny of s3:PutObject, s3:DeleteObject (ReadOnlyAccess or another policy could grant it)"]


def test_only_aws_read_only_managed_policies_may_be_attached():
    assert iam.READ_ONLY_MANAGED.match("arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert iam.READ_ONLY_MANAGED.match("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    assert not iam.READ_ONLY_MANAGED.match("arn:aws:iam::aws:policy/AdministratorAccess")
    assert not iam.READ_ONLY_MANAGED.match("arn:aws:iam::123456789012:policy/ReadOnlyAccess")


# CKV_TBYTE_7
BOUNDARY = {"StringEquals": {"iam:PermissionsBoundary": ["arn:aws:iam::123456789012:policy/tbyte-dev-role-boundary"]}}


def test_role_changes_need_a_boundary_condition():
    assert iam.boundary_problems(policy(allow(["iam:CreateRole", "iam:PutRolePolicy"], Condition=BOUNDARY))) == []
    assert iam.boundary_problems(policy(allow("iam:AttachRolePolicy"))) == [
        "S: allows iam:AttachRolePolicy without an iam:PermissionsBoundary condition"]
    assert "iam:CreateUser" in iam.boundary_problems(policy(allow("iam:*")))[1]
    assert iam.boundary_problems(policy(allow("iam:Get*"), allow("iam:UpdateAssumeRolePolicy"))) == []


def test_removing_a_boundary_is_never_allowed():
    assert iam.boundary_problems(policy(allow("iam:DeleteRolePermissionsBoundary", Condition=BOUNDARY))) == [
        "S: allows iam:DeleteRolePermissionsBoundary"]
    assert iam.boundary_problems(policy(deny("iam:DeleteRolePermissionsBoundary"))) == []


# CKV_TBYTE_8
KEYS = "arn:aws:kms:eu-central-1:123456789012:key/*"
PLATFORM_TAG = {"StringLike": {"aws:ResourceTag/tbyte:kms-alias": ["tbyte-dev-*"]}}


@pytest.mark.parametrize(("statement", "failing"), [
    (allow(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], KEYS), True),
    (allow("kms:*"), True),
    (allow("kms:CreateKey"), True),
    (allow(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], KEYS, Condition=PLATFORM_TAG), False),
    (allow("kms:CreateKey", Condition={"StringLike": {"aws:RequestTag/tbyte:kms-alias": ["tbyte-dev-*"]}}), False),
    (allow("kms:PutKeyPolicy", KEYS, Condition={"ForAnyValue:StringLike": {"kms:ResourceAliases": ["alias/x-*"]}}), False),
    (allow("kms:PutKeyPolicy", "arn:aws:kms:eu-central-1:123456789012:key/1234abcd"), False),  # one named key
    (allow("kms:CreateAlias", "arn:aws:kms:eu-central-1:123456789012:alias/tbyte-dev-*"), False),  # aliases only
    (allow(["kms:Decrypt", "kms:DescribeKey"], KEYS), False),  # use and reads are not management
])
def test_key_management_on_every_key_needs_a_tag_or_alias_condition(statement, failing):
    assert bool(iam.key_management_problems(policy(statement))) is failing


# CKV_TBYTE_9
ROOT = {"AWS": "arn:aws:iam::123456789012:root"}


@pytest.mark.parametrize(("statement", "failing"), [
    (allow("kms:*", Principal=ROOT), True),
    (allow(["kms:Decrypt", "kms:Encrypt"], Principal={"AWS": "123456789012"}), True),
    (allow("kms:Decrypt", Principal="*"), True),
    (allow(["kms:PutKeyPolicy", "kms:DescribeKey", "kms:ScheduleKeyDeletion"], Principal=ROOT), False),
    (allow(["kms:CreateGrant", "kms:ListGrants"], Principal=ROOT,
           Condition={"Bool": {"kms:GrantIsForAWSResource": ["true"]}}), False),
    (allow(["kms:Decrypt", "kms:GenerateDataKey*"], Principal=ROOT,
           Condition={"StringEquals": {"kms:ViaService": ["rds.eu-central-1.amazonaws.com"]}}), False),
    (allow("kms:Decrypt", Principal={"AWS": "arn:aws:iam::123456789012:role/tbyte-dev-eks-cluster"}), False),
])
def test_a_key_policy_does_not_let_the_whole_account_use_the_key(statement, failing):
    assert bool(iam.key_policy_problems(policy(statement))) is failing
