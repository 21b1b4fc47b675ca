# GitHub Actions OIDC for ONE repository: the account's provider for token.actions.githubusercontent.com, four
# roles split by what a workflow run can prove about itself, and the permissions boundary of every role the
# deploy role creates.
#
#   <prefix>-github-pr      pull requests (unreviewed code)    read-only metadata; no state, no secrets, no locks
#   <prefix>-github-plan    the trusted branches (main)        read-only + read the state; no locks, no writes
#   <prefix>-github-drift   the trusted branches (main)        the same as plan, for the scheduled drift check only
#   <prefix>-github-deploy  the GitHub environments            the only role that writes (apply, releases)
#
# A job bound to a GitHub environment presents `environment:<env>` as its subject, and GitHub lets such a job
# run only from the environment's deployment branches and after its required reviewers approved it. No branch,
# pull-request or other subject reaches the deploy role, so every change to an environment passes that gate.

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  issuer = "token.actions.githubusercontent.com"
  # The ARN of the provider created here is built, not read from the resource, so that the trust policies are
  # known when planned (reviewable, and checked by checkov); the roles depend on the provider explicitly.
  # "" only when the input is missing: the roles' preconditions then stop the plan with a clear message.
  oidc_provider_arn = var.create_oidc_provider ? "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.issuer}" : (var.oidc_provider_arn == null ? "" : var.oidc_provider_arn)

  branch_subjects = [for branch in var.branches : "repo:${var.repository}:ref:refs/heads/${branch}"]

  roles = {
    pr = {
      subjects    = ["repo:${var.repository}:pull_request"]
      description = "Pull requests of ${var.repository}: read-only metadata; cannot read or decrypt the state, read secret values or touch lock files."
    }
    plan = {
      subjects    = local.branch_subjects
      description = "Runs of ${var.repository} on its trusted branches: terraform plan without the lock (read-only, reads the state)."
    }
    drift = {
      subjects    = local.branch_subjects
      description = "The scheduled drift check of ${var.repository}: terraform plan without the lock (read-only, reads the state)."
    }
    deploy = {
      subjects    = [for environment in var.environments : "repo:${var.repository}:environment:${environment}"]
      description = "Jobs of ${var.repository} bound to a GitHub environment (reviewed, deployment branches only): terraform apply and releases."
    }
  }
  read_only_roles = toset(["pr", "plan", "drift"])

  role_names    = { for key in keys(local.roles) : key => "${var.name_prefix}-github-${key}" }
  boundary_name = "${var.name_prefix}-role-boundary"
  boundary_arn  = "arn:${local.partition}:iam::${local.account_id}:policy/${local.boundary_name}"
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
# Trust: the repository's tokens, issued for STS, with exact subjects (StringEquals, no wildcard), one kind of
# subject per role.
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  for_each = local.roles

  statement {
    sid     = "GitHubActions"
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
      values   = each.value.subjects
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name                  = local.role_names[each.key]
  description           = each.value.description
  assume_role_policy    = data.aws_iam_policy_document.assume[each.key].json
  permissions_boundary  = var.permissions_boundary_arn
  max_session_duration  = var.max_session_duration
  force_detach_policies = true

  tags = merge(var.tags, { Name = local.role_names[each.key] })

  depends_on = [aws_iam_openid_connect_provider.github]

  lifecycle {
    precondition {
      condition     = var.create_oidc_provider || var.oidc_provider_arn != null
      error_message = "create_oidc_provider = false needs oidc_provider_arn (the account's existing GitHub Actions OIDC provider)."
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Pull-request, plan and drift roles: AWS ReadOnlyAccess, narrowed by explicit Deny statements (which no attached
# policy can override) and, for plan and drift, widened by reading the state.
# ---------------------------------------------------------------------------------------------------------------

resource "aws_iam_role_policy_attachment" "read_only" {
  for_each = local.read_only_roles

  role       = aws_iam_role.this[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "read_only" {
  for_each = local.read_only_roles

  name   = each.key == "pr" ? "no-state-no-secrets" : "read-state"
  role   = aws_iam_role.this[each.key].name
  policy = each.key == "pr" ? data.aws_iam_policy_document.pull_request.json : data.aws_iam_policy_document.state_reader.json
}

# ---------------------------------------------------------------------------------------------------------------
# Deploy role: what the platform's Terraform manages, each concern in its own managed policy (size limits).
# ---------------------------------------------------------------------------------------------------------------

locals {
  # Nine at most: IAM attaches ten managed policies to a role by default.
  deploy_policies = merge(
    {
      state      = data.aws_iam_policy_document.deploy_state.json
      network    = data.aws_iam_policy_document.deploy_network.json
      eks        = data.aws_iam_policy_document.deploy_eks.json
      identity   = data.aws_iam_policy_document.deploy_identity.json
      keys       = data.aws_iam_policy_document.deploy_keys.json
      data       = data.aws_iam_policy_document.deploy_data.json
      edge       = data.aws_iam_policy_document.deploy_edge.json
      operations = data.aws_iam_policy_document.deploy_operations.json
    },
    # ECR login, push and the repositories only when repositories are named.
    length(var.ecr_repository_names) == 0 ? {} : { registry = data.aws_iam_policy_document.deploy_registry.json },
  )
}

resource "aws_iam_policy" "deploy" {
  for_each = local.deploy_policies

  name        = "${local.role_names.deploy}-${each.key}"
  description = "terraform apply of ${var.name_prefix} from ${var.repository}: ${each.key}."
  policy      = each.value

  tags = merge(var.tags, { Name = "${local.role_names.deploy}-${each.key}" })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = local.deploy_policies

  role       = aws_iam_role.this["deploy"].name
  policy_arn = aws_iam_policy.deploy[each.key].arn
}

# ---------------------------------------------------------------------------------------------------------------
# The permissions boundary of every role the deploy role creates or changes (IRSA, EKS cluster and nodes, RDS
# monitoring, VPC flow logs): the deploy role may only create roles that carry it, and it caps them below IAM.
# ---------------------------------------------------------------------------------------------------------------

resource "aws_iam_policy" "role_boundary" {
  #checkov:skip=CKV_AWS_287:a permissions boundary is a ceiling, not a grant: what a bounded role may read is still only what its own policies grant
  #checkov:skip=CKV_AWS_288:a permissions boundary is a ceiling, not a grant: what a bounded role may read is still only what its own policies grant
  #checkov:skip=CKV_AWS_289:a permissions boundary is a ceiling, not a grant: no IAM write and no key management is within it (only service-linked roles)
  #checkov:skip=CKV_AWS_290:a permissions boundary is a ceiling, not a grant: a bounded role writes only what its own policies grant
  #checkov:skip=CKV_AWS_355:a permissions boundary is a ceiling, not a grant: resources are narrowed by the bounded roles' own policies
  name        = local.boundary_name
  description = "Permissions boundary of the roles ${local.role_names.deploy} creates: the services the platform's workloads call, no IAM."
  policy      = data.aws_iam_policy_document.role_boundary.json

  tags = merge(var.tags, { Name = local.boundary_name })
}

# The roles were `plan` (then trusted by pull requests) and `deploy` before the split into four.
moved {
  from = aws_iam_role.plan
  to   = aws_iam_role.this["plan"]
}

moved {
  from = aws_iam_role.deploy
  to   = aws_iam_role.this["deploy"]
}

moved {
  from = aws_iam_role_policy_attachment.plan_read_only
  to   = aws_iam_role_policy_attachment.read_only["plan"]
}

moved {
  from = aws_iam_role_policy.plan
  to   = aws_iam_role_policy.read_only["plan"]
}
