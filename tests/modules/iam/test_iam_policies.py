"""Trust and permission policies, parsed from the planned JSON (the YAML inventories cannot look inside JSON strings)."""

import json

import pytest

from tests.modules.conftest import case_file

ACCOUNT = "123456789012"  # moto's account
REGION = "eu-central-1"


@pytest.fixture(scope="module")
def plans(planner):
    return {case: planner.plan("iam", case_file("iam", case, "tfvars")) for case in ("with_github", "custom_bindings")}


def planned(plan, address: str) -> dict:
    return plan.resource_changes[address]["change"]["after"]


def document(plan, address: str, attribute: str = "policy") -> dict:
    value = planned(plan, address)[attribute]
    assert value, f"{address}.{attribute} is not known at plan time"
    return json.loads(value)


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def statements(policy: dict) -> dict:
    return {statement["Sid"]: statement for statement in policy["Statement"]}


IRSA_CASES = [
    ("with_github", "alb_controller", "EXAMPLED539D4633E53DE1B71EXAMPLE", "kube-system", "aws-load-balancer-controller"),
    ("with_github", "external_secrets", "EXAMPLED539D4633E53DE1B71EXAMPLE", "external-secrets", "external-secrets"),
    ("with_github", "app", "EXAMPLED539D4633E53DE1B71EXAMPLE", "tbyte", "api"),
    ("custom_bindings", "alb_controller", "PROD00000000000000000000000000000", "ingress", "aws-load-balancer-controller"),
    ("custom_bindings", "app", "PROD00000000000000000000000000000", "payments", "payments-api"),
]


@pytest.mark.parametrize(("case", "role", "cluster_id", "namespace", "service_account"), IRSA_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in IRSA_CASES])
def test_irsa_trust_is_exactly_one_service_account(plans, case, role, cluster_id, namespace, service_account):
    issuer = f"oidc.eks.{REGION}.amazonaws.com/id/{cluster_id}"
    trust = document(plans[case], f'module.irsa["{role}"].aws_iam_role.this', "assume_role_policy")
    [statement] = trust["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{issuer}"}
    # Exactly StringEquals on sub and aud: no StringLike, no wildcard, no other service account.
    assert statement["Condition"] == {
        "StringEquals": {
            f"{issuer}:sub": [f"system:serviceaccount:{namespace}:{service_account}"],
            f"{issuer}:aud": ["sts.amazonaws.com"],
        }
    }


def test_github_trusts_only_pull_requests_for_plan_and_branches_and_environments_for_deploy(plans):
    plan = plans["custom_bindings"]  # the provider ARN is an input there, so the trust is known at plan time
    provider = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    expected_subjects = {
        "plan": ["repo:tbyte/platform:pull_request"],
        "deploy": [
            "repo:tbyte/platform:ref:refs/heads/main",
            "repo:tbyte/platform:ref:refs/heads/release/2025.1",
            "repo:tbyte/platform:environment:prod",
            "repo:tbyte/platform:environment:prod-eu",
        ],
    }
    for role, subjects in expected_subjects.items():
        [statement] = document(plan, f"module.github[0].aws_iam_role.{role}", "assume_role_policy")["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {"Federated": provider}
        assert statement["Condition"] == {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"],
                "token.actions.githubusercontent.com:sub": subjects,
            }
        }


def test_external_secrets_reads_only_the_environment_prefix(plans):
    policy = statements(document(plans["with_github"], 'module.irsa["external_secrets"].aws_iam_role_policy.this[0]'))
    prefix_arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/*"
    read = policy["ReadPlatformSecrets"]
    assert sorted(as_list(read["Action"])) == [
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds"]
    assert read["Resource"] == prefix_arn
    decrypt = policy["DecryptPlatformSecrets"]
    assert decrypt["Action"] == "kms:Decrypt"
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": [f"secretsmanager.{REGION}.amazonaws.com"]},
        "StringLike": {"kms:EncryptionContext:SecretARN": [prefix_arn]},
    }
    assert set(policy) == {"ReadPlatformSecrets", "DecryptPlatformSecrets"}


def test_app_reads_only_its_database_secret(plans):
    policy = statements(document(plans["custom_bindings"], 'module.irsa["app"].aws_iam_role_policy.this[0]'))
    secret_arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/prod/payments-db-??????"
    assert policy["ReadDatabaseSecret"]["Resource"] == secret_arn
    assert sorted(as_list(policy["ReadDatabaseSecret"]["Action"])) == [
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    # secrets_kms_key_arns narrows decryption to the given key.
    assert policy["DecryptDatabaseSecret"]["Resource"] == \
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert policy["DecryptDatabaseSecret"]["Condition"]["StringLike"] == {"kms:EncryptionContext:SecretARN": [secret_arn]}


def test_plan_role_writes_only_lock_files(plans):
    policy = document(plans["with_github"], "module.github[0].aws_iam_role_policy.plan")
    writes = [s for s in policy["Statement"] if {"s3:PutObject", "s3:DeleteObject"} & set(as_list(s["Action"]))]
    assert writes and all(s["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*.tflock" for s in writes)
    assert statements(policy)["StateRead"]["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*"


def test_deploy_role_is_scoped_to_the_platform(plans):
    plan = plans["with_github"]
    policies = {concern: statements(document(plan, f'module.github[0].aws_iam_policy.deploy["{concern}"]'))
                for concern in ("state", "network", "eks", "identity", "data")}
    identity = policies["identity"]
    assert identity["PlatformRoles"]["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/tbyte-dev-*"
    assert identity["PlatformPolicies"]["Resource"] == f"arn:aws:iam::{ACCOUNT}:policy/tbyte-dev-*"
    assert "arn:aws:iam::aws:policy/AdministratorAccess" not in \
        identity["PlatformRoleAttachments"]["Condition"]["ArnLike"]["iam:PolicyARN"]
    deny = identity["NeverChangeTheCiRoles"]
    assert deny["Effect"] == "Deny"
    assert f"arn:aws:iam::{ACCOUNT}:role/tbyte-dev-github-deploy" in deny["Resource"]
    assert policies["data"]["PlatformSecrets"]["Resource"] == \
        f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/*"
    assert policies["state"]["StateDeleteLockFilesOnly"]["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*.tflock"
    assert policies["state"]["EcrPushCiImage"]["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/tbyte/ci"
    assert policies["network"]["VpcAndNodeInfrastructure"]["Condition"] == \
        {"StringEquals": {"aws:RequestedRegion": [REGION]}}


@pytest.mark.parametrize("case", ["with_github", "custom_bindings"])
def test_no_policy_grants_all_actions_of_a_service(plans, case):
    plan = plans[case]
    for address, change in plan.resource_changes.items():
        if change["type"] not in ("aws_iam_policy", "aws_iam_role_policy"):
            continue
        for statement in document(plan, address)["Statement"]:
            for action in as_list(statement["Action"]):
                assert action != "*" and not action.endswith(":*"), f"{address}: {action}"
