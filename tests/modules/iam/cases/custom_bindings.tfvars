name_prefix          = "tbyte-prod"
cluster_name         = "tbyte-prod-eu"
oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/PROD00000000000000000000000000000"
oidc_issuer          = "oidc.eks.eu-central-1.amazonaws.com/id/PROD00000000000000000000000000000"
secrets_prefix       = "tbyte/prod/"
database_secret_name = "tbyte/prod/payments-db"
secrets_kms_key_arns = ["arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]

service_accounts = {
  alb_controller = { namespace = "ingress" }
  app            = { namespace = "payments", name = "payments-api" }
}

permissions_boundary_arn = "arn:aws:iam::123456789012:policy/tbyte-prod-role-boundary"

# The account's GitHub provider already exists (created by the dev environment of the same account).
enable_github               = true
github_repository           = "tbyte/platform"
github_branches             = ["main", "release/2025.1"]
github_environments         = ["prod", "prod-eu"]
create_github_oidc_provider = false
github_oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
state_bucket_name           = "tbyte-terraform-state-prod"
state_key_prefix            = "prod/"
