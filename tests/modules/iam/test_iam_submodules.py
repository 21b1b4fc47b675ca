"""The submodules on their own: their optional features and every validation of their inputs."""

import json

import pytest

from tests.modules.iam.conftest import SUBMODULES

IRSA = "iam/modules/irsa-role"
GITHUB = "iam/modules/github-oidc"
IRSA_BASE = SUBMODULES / "irsa_role.tfvars"
GITHUB_BASE = SUBMODULES / "github_oidc.tfvars"
ACCOUNT = "123456789012"


def after(plan, address):
    return plan.resource_changes[address]["change"]["after"]


def sids(policy_json: str) -> dict:
    return {statement["Sid"]: statement for statement in json.loads(policy_json)["Statement"]}


def test_irsa_role_with_a_managed_policy(planner):
    plan = planner.plan(
        IRSA, IRSA_BASE, policy_type="managed", max_session_duration=7200,
        permissions_boundary_arn=f"arn:aws:iam::{ACCOUNT}:policy/tbyte-boundary", tags={"team": "platform"})
    assert sorted(plan.resource_changes) == [
        "aws_iam_policy.this[0]", "aws_iam_role.this", "aws_iam_role_policy_attachment.this[0]"]
    role = after(plan, "aws_iam_role.this")
    assert role["max_session_duration"] == 7200
    assert role["permissions_boundary"] == f"arn:aws:iam::{ACCOUNT}:policy/tbyte-boundary"
    assert role["tags"] == {"team": "platform", "Name": "tbyte-dev-external-dns"}
    policy = after(plan, "aws_iam_policy.this[0]")
    assert policy["name"] == "tbyte-dev-external-dns"
    assert json.loads(policy["policy"])["Statement"][0]["Action"] == "route53:ListHostedZones"


def test_irsa_role_with_an_inline_policy(planner):
    plan = planner.plan(IRSA, IRSA_BASE)
    assert sorted(plan.resource_changes) == ["aws_iam_role.this", "aws_iam_role_policy.this[0]"]
    assert plan.outputs["role_name"] == "tbyte-dev-external-dns"
    assert plan.outputs["policy_arn"] is None


def test_irsa_role_with_published_managed_policies_only(planner):
    ebs = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    plan = planner.plan(IRSA, IRSA_BASE, policy_json=None, managed_policy_arns=[ebs])
    assert sorted(plan.resource_changes) == ["aws_iam_role.this", f'aws_iam_role_policy_attachment.managed["{ebs}"]']
    assert after(plan, f'aws_iam_role_policy_attachment.managed["{ebs}"]')["policy_arn"] == ebs


def test_irsa_role_without_any_permissions_is_refused(planner):
    assert "The role needs permissions" in planner.plan_error(IRSA, IRSA_BASE, policy_json=None)


def test_github_oidc_creates_the_provider_and_optional_statements(planner):
    plan = planner.plan(
        GITHUB, GITHUB_BASE, state_kms_key_alias="alias/tbyte-terraform-state", state_secret_names=["tbyte/dev/db"],
        thumbprints=["6938FD4D98BAB03FAADB97B34396831E3780AEA1"])
    provider = after(plan, "aws_iam_openid_connect_provider.github[0]")
    assert provider["thumbprint_list"] == ["6938fd4d98bab03faadb97b34396831e3780aea1"]
    reader = sids(after(plan, 'aws_iam_role_policy.read_only["plan"]')["policy"])
    assert reader["StateDecryption"]["Condition"]["ForAnyValue:StringEquals"] == \
        {"kms:ResourceAliases": ["alias/tbyte-terraform-state"]}
    assert reader["StateSecretValues"]["Resource"] == f"arn:aws:secretsmanager:eu-central-1:{ACCOUNT}:secret:tbyte/dev/db-??????"
    state = sids(after(plan, 'aws_iam_policy.deploy["state"]')["policy"])
    assert "EcrPushCiImage" not in state  # no ECR repositories given, no ECR access
    assert plan.outputs["subjects"] == {
        "pr": ["repo:tbyte/platform:pull_request"],
        "plan": ["repo:tbyte/platform:ref:refs/heads/main"],
        "drift": ["repo:tbyte/platform:ref:refs/heads/main"],
        "deploy": ["repo:tbyte/platform:environment:dev"],
    }
    assert plan.outputs["role_permissions_boundary_arn"] == f"arn:aws:iam::{ACCOUNT}:policy/tbyte-dev-role-boundary"


def test_github_oidc_without_state_key_or_state_secrets(planner):
    plan = planner.plan(GITHUB, GITHUB_BASE)
    reader = sids(after(plan, 'aws_iam_role_policy.read_only["drift"]')["policy"])
    assert not {"StateDecryption", "StateSecretValues", "StateSecretDecryption"} & set(reader)
    # No state secret: no secret value at all.
    assert reader["NoOtherSecretValues"]["Resource"] == "*" and "NotResource" not in reader["NoOtherSecretValues"]
    assert "StateEncryption" not in sids(after(plan, 'aws_iam_policy.deploy["state"]')["policy"])


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "tbyte dev"}, "name must be 1-64 characters"),
        ({"name": "x" * 65}, "name must be 1-64 characters"),
        ({"oidc_provider_arn": "oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
         "oidc_provider_arn must be an IAM OIDC provider ARN"),
        ({"oidc_issuer": "https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
         "oidc_issuer must be the issuer host and path without a scheme"),
        ({"oidc_issuer": "oidc.eks.eu-central-1.amazonaws.com/id/OTHER"},
         "oidc_provider_arn and oidc_issuer must describe the same provider"),
        ({"namespace": "External_DNS"}, "namespace must be a Kubernetes namespace name"),
        ({"namespace": "n" * 64}, "namespace must be a Kubernetes namespace name"),
        ({"service_account": "*"}, "service_account must be a Kubernetes service account name"),
        ({"service_account": "external-dns-"}, "service_account must be a Kubernetes service account name"),
        ({"policy_json": "route53:*"}, "policy_json must be a JSON IAM policy document with a Statement"),
        ({"policy_json": "{\"Version\": \"2012-10-17\"}"}, "policy_json must be a JSON IAM policy document with a Statement"),
        ({"policy_type": "both"}, "policy_type must be inline or managed"),
        ({"permissions_boundary_arn": "arn:aws:iam::123456789012:role/boundary"},
         "permissions_boundary_arn must be the ARN of an IAM policy"),
        ({"max_session_duration": 900}, "max_session_duration must be a whole number of seconds between 3600 and 43200"),
    ],
    ids=["name-space", "name-long", "oidc-arn", "issuer-scheme", "issuer-mismatch", "namespace", "namespace-long",
         "sa-wildcard", "sa-trailing-hyphen", "policy-not-json", "policy-no-statement", "policy-type", "boundary",
         "session"],
)
def test_irsa_role_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error(IRSA, IRSA_BASE, **inputs)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name_prefix": "Tbyte"}, "name_prefix must be 3-32 characters"),
        ({"repository": "tbyte"}, "repository must be <org>/<repo>"),
        ({"repository": "-tbyte/platform"}, "repository must be <org>/<repo>"),
        ({"repository": "tbyte/.."}, "repository must be <org>/<repo>"),
        ({"repository": "tbyte/*"}, "repository must be <org>/<repo>"),
        ({"branches": []}, "branches must list at least one branch the plan and drift roles trust"),
        ({"environments": []}, "environments must list at least one GitHub environment"),
        ({"branches": ["main", "feature/*"]}, "Each entry of branches must be a branch name"),
        ({"environments": ["*"]}, "Each entry of environments must be a GitHub environment name"),
        ({"create_oidc_provider": False, "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/example.com"},
         "oidc_provider_arn must be the ARN of the GitHub Actions OIDC provider"),
        ({"thumbprints": ["6938fd4d"]}, "thumbprints must list 1 to 5 SHA-1 thumbprints"),
        ({"thumbprints": []}, "thumbprints must list 1 to 5 SHA-1 thumbprints"),
        ({"state_bucket_name": "s3://tbyte-state"}, "state_bucket_name must be an S3 bucket name"),
        ({"state_key_prefix": "/dev/"}, "state_key_prefix must be empty or a key prefix ending with /"),
        ({"state_kms_key_alias": "arn:aws:kms:eu-central-1:123456789012:alias/x"}, "state_kms_key_alias must be a customer-managed key alias"),
        ({"state_kms_key_alias": "alias/aws/s3"}, "state_kms_key_alias must be a customer-managed key alias"),
        ({"state_secret_names": ["tbyte/dev/*/"]}, "Each entry of state_secret_names must be a Secrets Manager secret name"),
        ({"secrets_prefix": "tbyte/dev"}, "secrets_prefix must be a Secrets Manager name prefix ending with /"),
        ({"ecr_repository_names": ["tbyte/CI"]}, "Each entry of ecr_repository_names must be an ECR repository name"),
        ({"attachable_policy_arns": ["AdministratorAccess"]}, "Each entry of attachable_policy_arns must be an IAM policy ARN"),
        ({"permissions_boundary_arn": "arn:aws:s3:::boundary"}, "permissions_boundary_arn must be the ARN of an IAM policy"),
        ({"max_session_duration": 50000}, "max_session_duration must be a whole number of seconds between 3600 and 43200"),
        ({"create_oidc_provider": False}, "create_oidc_provider = false needs oidc_provider_arn"),
        ({"oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
         "Set either create_oidc_provider = true or oidc_provider_arn, not both"),
    ],
    ids=["name-prefix", "repo-no-org", "repo-org-hyphen", "repo-dotdot", "repo-wildcard", "branches-empty",
         "environments-empty", "branch-wildcard", "environment-wildcard", "oidc-arn", "thumbprint-short",
         "thumbprints-empty", "bucket", "state-key-prefix", "state-kms-arn", "state-kms-aws", "state-secret",
         "secrets-prefix", "ecr", "attachable", "boundary", "session", "provider-missing", "provider-twice"],
)
def test_github_oidc_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error(GITHUB, GITHUB_BASE, **inputs)
