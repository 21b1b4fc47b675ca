# The platform's IAM roles: one IRSA role per Kubernetes controller or workload that calls AWS, and optionally
# the GitHub Actions roles of the repository. The EKS control-plane role lives in modules/eks-cluster-role.

data "aws_caller_identity" "current" {
  lifecycle {
    precondition {
      condition     = !var.enable_github || (var.github_repository != null && var.state_bucket_name != null)
      error_message = "enable_github = true needs github_repository and state_bucket_name."
    }

    precondition {
      condition     = !var.enable_github || var.create_github_oidc_provider != (var.github_oidc_provider_arn != null)
      error_message = "With enable_github, set either create_github_oidc_provider = true or github_oidc_provider_arn (the account's existing provider), not both."
    }

    precondition {
      condition     = !var.enable_github || var.permissions_boundary_arn == null || endswith(coalesce(var.permissions_boundary_arn, "-"), ":policy/${var.name_prefix}-role-boundary")
      error_message = "With enable_github, permissions_boundary_arn must be the boundary the GitHub module creates (arn:aws:iam::<account>:policy/<name_prefix>-role-boundary): the deploy role manages only roles that carry it."
    }
  }
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  # With the GitHub roles, the boundary the deploy role requires, taken from the module that creates it (so that
  # the roles are created after it); otherwise the given one, if any.
  permissions_boundary_arn = var.enable_github ? module.github[0].role_permissions_boundary_arn : var.permissions_boundary_arn

  # The EKS cluster the controllers serve (by default the prefix, which is the cluster's name on this platform).
  cluster_name = coalesce(var.cluster_name, var.name_prefix)

  secret_arn_prefix = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:"
  # Secrets Manager appends a hyphen and six random characters to the name of every secret.
  platform_secrets_arn = "${local.secret_arn_prefix}${var.secrets_prefix}*"
  database_secret_arn  = "${local.secret_arn_prefix}${var.database_secret_name}-??????"

  # Without secrets_kms_key_arns, any key of the account ("key/*": key ids are random), but decryption is allowed
  # only through Secrets Manager and only for the allowed secrets (conditions in policies.tf).
  secrets_kms_keys = length(var.secrets_kms_key_arns) > 0 ? var.secrets_kms_key_arns : ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

  irsa_roles = {
    alb_controller = {
      name        = "${var.name_prefix}-alb-controller"
      policy_json = data.aws_iam_policy_document.alb_controller.json
      # The published policy is large and shared by every controller version: a managed policy of its own.
      policy_type = "managed"
    }
    external_secrets = {
      name        = "${var.name_prefix}-external-secrets"
      policy_json = data.aws_iam_policy_document.external_secrets.json
      policy_type = "inline"
    }
    app = {
      name        = "${var.name_prefix}-app"
      policy_json = data.aws_iam_policy_document.app.json
      policy_type = "inline"
    }
  }

  # The catalogue's other add-ons (platform/addons), each with the policy of this module it names.
  addon_policies = {
    cluster_autoscaler = data.aws_iam_policy_document.cluster_autoscaler.json
    grafana_cloudwatch = data.aws_iam_policy_document.grafana_cloudwatch.json
  }

  roles = merge(local.irsa_roles, {
    for name, role in var.addon_roles : name => {
      name        = "${var.name_prefix}-${name}"
      policy_json = local.addon_policies[role.policy]
      policy_type = "inline"
    }
  })

  # Which service account each role trusts: the platform's three bindings and the catalogue's add-ons.
  bindings = merge(var.service_accounts, {
    for name, role in var.addon_roles : name => { namespace = role.namespace, name = role.service_account }
  })
}

module "irsa" {
  source   = "./modules/irsa-role"
  for_each = local.roles

  name                     = each.value.name
  oidc_provider_arn        = var.oidc_provider_arn
  oidc_issuer              = var.oidc_issuer
  namespace                = local.bindings[each.key].namespace
  service_account          = local.bindings[each.key].name
  policy_json              = each.value.policy_json
  policy_type              = each.value.policy_type
  permissions_boundary_arn = local.permissions_boundary_arn

  tags = var.tags
}

module "github" {
  source = "./modules/github-oidc"
  count  = var.enable_github ? 1 : 0

  name_prefix          = var.name_prefix
  repository           = var.github_repository
  branches             = var.github_branches
  environments         = var.github_environments
  create_oidc_provider = var.create_github_oidc_provider
  oidc_provider_arn    = var.github_oidc_provider_arn
  state_bucket_name    = var.state_bucket_name
  state_key_prefix     = var.state_key_prefix
  state_kms_key_alias  = var.state_kms_key_alias
  secrets_prefix       = var.secrets_prefix
  ecr_repository_names = var.github_ecr_repositories

  # The database secret's value is in the state (rds keeps its secret versions): a plan refreshes it.
  state_secret_names = [var.database_secret_name]

  tags = var.tags
}
