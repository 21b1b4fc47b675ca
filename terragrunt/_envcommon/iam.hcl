# The platform's IAM roles as every environment has them: IRSA roles bound to the cluster's OIDC provider, and
# the GitHub Actions OIDC provider with this repository's four CI roles (pull-request, plan, drift, deploy) and
# the role boundary every role of the platform carries (modules/iam/modules/github-oidc). The CI roles and the
# boundary are applied by an administrator (docs/ci.md, "Bootstrap"); the deploy role may not change them.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  # The add-on catalogue (platform/addons, one file per add-on): the IRSA role each add-on needs is created here,
  # from the same files Argo CD's ApplicationSets are rendered from (invoke gitops.render).
  catalogue = "${get_repo_root()}/platform/addons"
  addons    = [for file in fileset(local.catalogue, "*.yaml") : yamldecode(file("${local.catalogue}/${file}"))]
  irsa      = { for addon in local.addons : addon.irsa.role => addon if can(addon.irsa.role) }
}

terraform {
  source = "${get_repo_root()}/modules//iam"
}

dependency "eks" {
  config_path = "../eks"

  mock_outputs = {
    cluster_name      = "tbyte-mock"
    oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/MOCK"
    oidc_issuer       = "oidc.eks.eu-central-1.amazonaws.com/id/MOCK"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
  # Bootstrap of the CI roles and the boundary, before the cluster exists (`-target=module.github`, docs/ci.md):
  # the IRSA inputs are then the mocks, and nothing but module.github is applied.
  enabled = get_env("TBYTE_BOOTSTRAP_GITHUB", "") != "true"
}

inputs = {
  name_prefix          = "tbyte-${local.env.environment}"
  cluster_name         = dependency.eks.outputs.cluster_name
  oidc_provider_arn    = dependency.eks.outputs.oidc_provider_arn
  oidc_issuer          = dependency.eks.outputs.oidc_issuer
  secrets_prefix       = "tbyte/${local.env.environment}/"
  database_secret_name = "tbyte/${local.env.environment}/database"

  # The module's own roles (the ALB controller, External Secrets) bound to the catalogue's service accounts, and
  # the catalogue's other roles with the module policy each names.
  service_accounts = {
    for role, addon in local.irsa : role => { namespace = addon.namespace, name = addon.serviceAccount }
    if !can(addon.irsa.policy)
  }
  addon_roles = {
    for role, addon in local.irsa : role => {
      namespace       = addon.namespace
      service_account = addon.serviceAccount
      policy          = addon.irsa.policy
    } if can(addon.irsa.policy)
  }

  # Every role of the platform carries this boundary; here it is created (github module) and set on the IRSA roles.
  permissions_boundary_arn = local.env.permissions_boundary_arn

  enable_github               = true
  github_repository           = "tbyte/tbyte-platform"
  github_branches             = ["main"]
  github_environments         = [local.env.environment]
  create_github_oidc_provider = true
  state_bucket_name           = local.env.state_bucket
  state_key_prefix            = "${local.env.environment}/"
  state_kms_key_alias         = try(local.env.state_kms_key_alias, null)
}
