# A customer-managed key with rotation on and an explicit policy: the account root administers it (so that IAM
# can delegate), and only the users the caller names (and CloudWatch Logs, for the named log groups) use it.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_iam_policy_document" "this" {
  # In a key policy, resources = ["*"] means this key only; these checks are written for identity policies.
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; its users are named by the calling module
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  #checkov:skip=CKV_AWS_109:key policy: kms:* only for the account root, which keeps the key manageable
  source_policy_documents = compact([var.usage_policy_json])

  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = length(var.cloudwatch_logs_arn_patterns) > 0 ? [1] : []
    content {
      sid       = "CloudWatchLogsUseForTheseLogGroups"
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

  tags = merge(var.tags, { Name = var.alias })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
