# One customer-managed key for everything of this database: storage, Performance Insights, the secret and the logs.

resource "aws_kms_key" "this" {
  description         = "${var.identifier} PostgreSQL: storage, Performance Insights, secret, logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json

  tags = merge(var.tags, { Name = "${var.identifier}-rds" })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.identifier}-rds"
  target_key_id = aws_kms_key.this.key_id
}

locals {
  account_root   = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  log_group_base = "/aws/rds/instance/${var.identifier}"
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; use is limited by service conditions.
  #checkov:skip=CKV_AWS_356:Key policy: "*" as resource means this key only (a key policy cannot name its own ARN).
  #checkov:skip=CKV_AWS_109:Key policy: kms:* is the account-root administration statement that keeps the key manageable.
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  # Principals of this account may use the key only through RDS (storage, Performance Insights) and Secrets Manager.
  statement {
    sid       = "UseThroughRdsAndSecretsManager"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["rds.${data.aws_region.current.name}.amazonaws.com", "secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
    }
  }

  statement {
    sid       = "CloudWatchLogsUseForThisDatabase"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_base}/*"]
    }
  }
}
