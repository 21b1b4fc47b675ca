# GitHub Actions OIDC: the account's provider for token.actions.githubusercontent.com and two roles for ONE
# repository: `plan` for pull requests (read-only) and `deploy` for protected branches and environments.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  issuer = "token.actions.githubusercontent.com"
  # "" only when the input is missing: the roles' preconditions then stop the plan with a clear message.
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : (var.oidc_provider_arn == null ? "" : var.oidc_provider_arn)

  plan_subjects = ["repo:${var.repository}:pull_request"]
  deploy_subjects = concat(
    [for branch in var.branches : "repo:${var.repository}:ref:refs/heads/${branch}"],
    [for environment in var.environments : "repo:${var.repository}:environment:${environment}"],
  )

  plan_role_name   = "${var.name_prefix}-github-plan"
  deploy_role_name = "${var.name_prefix}-github-deploy"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url             = "https://${local.issuer}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [for thumbprint in var.thumbprints : lower(thumbprint)]

  tags = merge(var.tags, { Name = "github-actions" })

  lifecycle {
    precondition {
      condition     = var.oidc_provider_arn == null
      error_message = "Set either create_oidc_provider = true or oidc_provider_arn, not both: an account has one GitHub Actions OIDC provider."
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Trust: the repository's tokens, issued for STS, with an exact subject (StringEquals, no wildcard).
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "plan_assume" {
  statement {
    sid     = "GitHubPullRequests"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = local.plan_subjects
    }
  }
}

data "aws_iam_policy_document" "deploy_assume" {
  statement {
    sid     = "GitHubProtectedBranchesAndEnvironments"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = local.deploy_subjects
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Plan role: AWS ReadOnlyAccess plus the state bucket (read state, write and delete only the lock files).
# ---------------------------------------------------------------------------------------------------------------

resource "aws_iam_role" "plan" {
  name                  = local.plan_role_name
  description           = "Assumed by pull-request workflows of ${var.repository}: terraform plan (read-only)."
  assume_role_policy    = data.aws_iam_policy_document.plan_assume.json
  permissions_boundary  = var.permissions_boundary_arn
  max_session_duration  = var.max_session_duration
  force_detach_policies = true

  tags = merge(var.tags, { Name = local.plan_role_name })

  lifecycle {
    precondition {
      condition     = var.create_oidc_provider || var.oidc_provider_arn != null
      error_message = "create_oidc_provider = false needs oidc_provider_arn (the account's existing GitHub Actions OIDC provider)."
    }
  }
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan" {
  name   = "terraform-plan"
  role   = aws_iam_role.plan.name
  policy = data.aws_iam_policy_document.plan.json
}

# ---------------------------------------------------------------------------------------------------------------
# Deploy role: what the platform's Terraform manages, each service in its own managed policy (size limits).
# ---------------------------------------------------------------------------------------------------------------

resource "aws_iam_role" "deploy" {
  name                  = local.deploy_role_name
  description           = "Assumed by ${var.repository} workflows on protected branches and environments: terraform apply."
  assume_role_policy    = data.aws_iam_policy_document.deploy_assume.json
  permissions_boundary  = var.permissions_boundary_arn
  max_session_duration  = var.max_session_duration
  force_detach_policies = true

  tags = merge(var.tags, { Name = local.deploy_role_name })

  lifecycle {
    precondition {
      condition     = var.create_oidc_provider || var.oidc_provider_arn != null
      error_message = "create_oidc_provider = false needs oidc_provider_arn (the account's existing GitHub Actions OIDC provider)."
    }
  }
}

locals {
  deploy_policies = {
    state    = data.aws_iam_policy_document.deploy_state.json
    network  = data.aws_iam_policy_document.deploy_network.json
    eks      = data.aws_iam_policy_document.deploy_eks.json
    identity = data.aws_iam_policy_document.deploy_identity.json
    data     = data.aws_iam_policy_document.deploy_data.json
  }
}

resource "aws_iam_policy" "deploy" {
  for_each = local.deploy_policies

  name        = "${local.deploy_role_name}-${each.key}"
  description = "terraform apply of ${var.name_prefix} from ${var.repository}: ${each.key}."
  policy      = each.value

  tags = merge(var.tags, { Name = "${local.deploy_role_name}-${each.key}" })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = local.deploy_policies

  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.deploy[each.key].arn
}
