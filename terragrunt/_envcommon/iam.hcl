# The platform's IAM roles as every environment has them: IRSA roles bound to the cluster's OIDC provider,
# and the GitHub Actions OIDC provider with the plan and deploy roles of this repository.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//iam"
}

dependency "eks" {
  config_path = "../eks"

  mock_outputs = {
    oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/MOCK"
    oidc_issuer       = "oidc.eks.eu-central-1.amazonaws.com/id/MOCK"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  name_prefix          = "tbyte-${local.env.environment}"
  oidc_provider_arn    = dependency.eks.outputs.oidc_provider_arn
  oidc_issuer          = dependency.eks.outputs.oidc_issuer
  secrets_prefix       = "tbyte/${local.env.environment}/"
  database_secret_name = "tbyte/${local.env.environment}/database"

  enable_github               = true
  github_repository           = "tbyte/tbyte-platform"
  github_branches             = ["main"]
  github_environments         = [local.env.environment]
  create_github_oidc_provider = true
  state_bucket_name           = local.env.state_bucket
}
