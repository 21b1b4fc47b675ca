# A customer-managed key with rotation on and an explicit policy: the account root may administer the key (so that
# IAM policies can delegate its administration) but not use it; only the users the caller names (and CloudWatch
# Logs, for the named log groups) use it, and AWS services may take grants on it for the resources they encrypt.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # What "administering" a key is: its policy, state, rotation, tags and aliases, reading its metadata and
  # grants. Nothing that encrypts or decrypts, and no kms:CreateGrant (a grant is use). Listed, never `kms:*`.
  administration_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # The tag the platform's keys carry. The GitHub deploy role may manage (PutKeyPolicy, ScheduleKeyDeletion...)
  # only keys with this tag under its prefix, and create keys only with it (modules/iam/modules/github-oidc).
  platform_tag = { "tbyte:kms-alias" = var.alias }
}

data "aws_iam_policy_document" "this" {
  # In a key policy, resources = ["*"] means this key only; these checks are written for identity policies.
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; its users are named by the calling module
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  #checkov:skip=CKV_AWS_109:key policy: the account root administers this key (PutKeyPolicy among it) so that IAM can delegate administration; it cannot use the key
  source_policy_documents = compact([var.usage_policy_json])

  # IAM policies of the account can delegate these actions (and only these): the key stays manageable if a
  # named user disappears, and no IAM policy can grant use of the key, however broad.
  statement {
    sid       = "AccountAdministration"
    actions   = local.administration_actions
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  # EKS, EBS and RDS take a grant on the key for the resource they encrypt, on behalf of the principal that
  # creates it (with an IAM policy allowing kms:CreateGrant). Only grants for AWS resources, never to a person.
  statement {
    sid       = "AccountGrantsForAwsResources"
    actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  dynamic "statement" {
    for_each = length(var.cloudwatch_logs_arn_patterns) > 0 ? [1] : []
    content {
      sid = "CloudWatchLogsUseForTheseLogGroups"
      # Encrypt*, ReEncrypt* and GenerateDataKey* are the variants CloudWatch Logs calls (the documented statement);
      # the encryption context condition limits them to the named log groups.
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = var.cloudwatch_logs_arn_patterns
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json

  tags = merge(var.tags, local.platform_tag, { Name = var.alias })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
