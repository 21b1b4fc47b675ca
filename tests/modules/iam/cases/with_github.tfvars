name_prefix          = "tbyte-dev"
oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
oidc_issuer          = "oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
secrets_prefix       = "tbyte/dev/"
database_secret_name = "tbyte/dev/database"

enable_github           = true
github_repository       = "tbyte/platform"
github_branches         = ["main"]
github_environments     = ["dev"]
state_bucket_name       = "tbyte-terraform-state-dev"
state_key_prefix        = "dev/"
github_ecr_repositories = ["tbyte/ci"]

tags = { team = "platform" }
state_kms_key_alias     = "alias/tbyte-terraform-state"

# The catalogue's other add-ons (terragrunt/_envcommon/iam.hcl reads them from platform/addons).
addon_roles = {
  cluster-autoscaler = { namespace = "kube-system", service_account = "cluster-autoscaler", policy = "cluster_autoscaler" }
  grafana            = { namespace = "monitoring", service_account = "grafana", policy = "grafana_cloudwatch" }
}
