# One IAM role for one Kubernetes service account (IRSA): only that service account of that namespace,
# presenting a token of the cluster's OIDC provider issued for STS, can assume it.

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "ServiceAccount"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    # StringEquals (never StringLike): exactly this service account, no wildcard.
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                  = var.name
  description           = "IRSA role of the Kubernetes service account ${var.namespace}/${var.service_account}."
  assume_role_policy    = data.aws_iam_policy_document.assume.json
  permissions_boundary  = var.permissions_boundary_arn
  max_session_duration  = var.max_session_duration
  force_detach_policies = true

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = var.policy_json != null || length(var.managed_policy_arns) > 0
      error_message = "The role needs permissions: give policy_json, managed_policy_arns or both."
    }

    precondition {
      condition     = endswith(var.oidc_provider_arn, ":oidc-provider/${var.oidc_issuer}")
      error_message = "oidc_provider_arn and oidc_issuer must describe the same provider: the ARN must end with :oidc-provider/<oidc_issuer>."
    }
  }
}

# Inline (default): the permissions live and die with the role.
resource "aws_iam_role_policy" "this" {
  count = var.policy_json != null && var.policy_type == "inline" ? 1 : 0

  name   = var.name
  role   = aws_iam_role.this.name
  policy = var.policy_json
}

# Managed: a customer-managed policy of the same name, versioned by IAM and visible on its own.
resource "aws_iam_policy" "this" {
  count = var.policy_json != null && var.policy_type == "managed" ? 1 : 0

  name        = var.name
  description = "Permissions of the service account ${var.namespace}/${var.service_account}."
  policy      = var.policy_json

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_iam_role_policy_attachment" "this" {
  count = var.policy_json != null && var.policy_type == "managed" ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this[0].arn
}

# Published managed policies (AWS-managed ones are kept current by AWS with the controller they belong to).
resource "aws_iam_role_policy_attachment" "managed" {
  for_each = toset(var.managed_policy_arns)

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
