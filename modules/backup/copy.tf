# The disaster-recovery copy: a vault in copy_region, encrypted with a key of that region (a KMS key never leaves its
# region), that receives a copy of every recovery point and keeps it copy_retention_days.

module "copy_key" {
  source = "../kms-key"
  count  = local.copy ? 1 : 0

  providers = {
    aws = aws.copy
  }

  alias             = "${var.name}-backup-copy"
  description       = "${var.name} AWS Backup copies in ${coalesce(var.copy_region, "-")}"
  usage_policy_json = data.aws_iam_policy_document.copy_key_use.json
  tags              = var.tags
}

data "aws_iam_policy_document" "copy_key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; use is limited to calls through AWS Backup
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  statement {
    sid       = "UseThroughBackup"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["backup.${coalesce(var.copy_region, "-")}.amazonaws.com", "rds.${coalesce(var.copy_region, "-")}.amazonaws.com"]
    }
  }
}

resource "aws_backup_vault" "copy" {
  count    = local.copy ? 1 : 0
  provider = aws.copy

  name        = "${var.name}-copy"
  kms_key_arn = module.copy_key[0].key_arn

  tags = merge(var.tags, { Name = "${var.name}-copy" })
}

resource "aws_backup_vault_policy" "copy" {
  count    = local.copy && var.protect_recovery_points ? 1 : 0
  provider = aws.copy

  backup_vault_name = aws_backup_vault.copy[0].name
  policy            = data.aws_iam_policy_document.vault.json
}
