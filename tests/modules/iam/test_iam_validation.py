import pytest

from tests.modules.conftest import case_file

BASE = case_file("iam", "without_github", "tfvars")
GITHUB = case_file("iam", "with_github", "tfvars")

OIDC = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.mark.parametrize(
    ("base", "inputs", "message"),
    [
        (BASE, {"name_prefix": "TByte_Dev"}, "name_prefix must be 3-32 characters"),
        (BASE, {"oidc_provider_arn": "arn:aws:iam::123456789012:role/tbyte-dev"},
         "oidc_provider_arn must be an IAM OIDC provider ARN"),
        (BASE, {"oidc_issuer": "https://oidc.eks.eu-central-1.amazonaws.com/id/LOCAL0000000000000000000000000000"},
         "oidc_issuer must be the issuer host and path without a scheme"),
        (BASE, {"oidc_issuer": "oidc.eks.eu-central-1.amazonaws.com/id/OTHER"},
         "oidc_provider_arn and oidc_issuer must describe the same provider"),
        (BASE, {"secrets_prefix": "tbyte/local"}, "secrets_prefix must be a Secrets Manager name prefix ending with /"),
        (BASE, {"database_secret_name": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:tbyte/local/database"},
         "database_secret_name must be a Secrets Manager secret name"),
        (BASE, {"secrets_kms_key_arns": ["alias/tbyte-secrets"]}, "Each entry of secrets_kms_key_arns must be a KMS key ARN"),
        (BASE, {"service_accounts": {"app": {"namespace": "Payments"}}},
         "Each service_accounts namespace must be a Kubernetes namespace name"),
        (BASE, {"service_accounts": {"external_secrets": {"name": "external_secrets"}}},
         "Each service_accounts name must be a Kubernetes service account name"),
        (BASE, {"service_accounts": {"app": {"name": "*"}}},
         "Each service_accounts name must be a Kubernetes service account name"),
        (BASE, {"permissions_boundary_arn": "tbyte-boundary"}, "permissions_boundary_arn must be the ARN of an IAM policy"),
        (GITHUB, {"github_repository": "platform"}, "github_repository must be <org>/<repo>"),
        (GITHUB, {"github_repository": "tbyte/platform/infra"}, "github_repository must be <org>/<repo>"),
        (GITHUB, {"github_repository": "https://github.com/tbyte/platform"}, "github_repository must be <org>/<repo>"),
        (GITHUB, {"github_branches": []}, "github_branches must list at least one branch the plan and drift roles trust"),
        (GITHUB, {"github_environments": []}, "environments must list at least one GitHub environment"),
        (GITHUB, {"state_kms_key_alias": "tbyte-terraform-state"}, "state_kms_key_alias must be a customer-managed key alias"),
        (GITHUB, {"permissions_boundary_arn": "arn:aws:iam::123456789012:policy/other"},
         "permissions_boundary_arn must be the boundary the GitHub module creates"),
        (GITHUB, {"github_branches": ["release/*"]}, "Each entry of github_branches must be a branch name"),
        (GITHUB, {"github_branches": ["refs/heads/main"]}, "Each entry of github_branches must be a branch name"),
        (GITHUB, {"github_environments": ["prod eu"]}, "Each entry of github_environments must be a GitHub environment name"),
        (GITHUB, {"create_github_oidc_provider": False,
                  "github_oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/gitlab.com"},
         "github_oidc_provider_arn must be the ARN of the GitHub Actions OIDC provider"),
        (GITHUB, {"state_bucket_name": "TByte_State"}, "state_bucket_name must be an S3 bucket name"),
        (GITHUB, {"state_key_prefix": "dev"}, "state_key_prefix must be empty or a key prefix ending with /"),
        (GITHUB, {"github_ecr_repositories": ["TByte/CI"]}, "Each entry of github_ecr_repositories must be an ECR repository name"),
        (GITHUB, {"github_repository": None}, "enable_github = true needs github_repository and state_bucket_name"),
        (GITHUB, {"state_bucket_name": None}, "enable_github = true needs github_repository and state_bucket_name"),
        (GITHUB, {"github_oidc_provider_arn": OIDC}, "set either create_github_oidc_provider = true or github_oidc_provider_arn"),
        (GITHUB, {"create_github_oidc_provider": False}, "set either create_github_oidc_provider = true or github_oidc_provider_arn"),
        (GITHUB, {"github_copy_regions": ["Frankfurt"]}, "Each entry of github_copy_regions must be an AWS region"),
        (GITHUB, {"github_domain_name": "Tbyte.Example.com"}, "github_domain_name must be a lowercase DNS name"),
        (GITHUB, {"github_hosted_zone_id": "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"},
         "github_hosted_zone_id must be a Route53 hosted zone id"),
        (GITHUB, {"github_state_secret_names": ["tbyte/dev/"]},
         "Each entry of github_state_secret_names must be a Secrets Manager secret name"),
    ],
    ids=["name-prefix", "oidc-arn", "issuer-scheme", "issuer-mismatch", "secrets-prefix-slash", "db-secret-arn",
         "kms-key-arn", "namespace", "service-account", "service-account-wildcard", "boundary", "repo-no-org",
         "repo-extra-path", "repo-url", "branches-empty", "environments-empty", "state-kms-alias", "foreign-boundary",
         "branch-wildcard", "branch-ref", "environment",
         "github-oidc-arn", "bucket", "state-key-prefix", "ecr-repository", "github-no-repo", "github-no-bucket",
         "github-provider-twice", "github-provider-missing", "copy-region", "domain", "zone", "state-secret-names"],
)
def test_bad_input_fails_with_the_module_message(planner, base, inputs, message):
    assert message in planner.plan_error("iam", base, **inputs)
