# One customer-managed key for the recovery points of the vault.

module "key" {
  source = "../kms-key"

  alias             = "${var.name}-backup"
  description       = "${var.name} AWS Backup recovery points"
  usage_policy_json = data.aws_iam_policy_document.key_use.json
  tags              = var.tags
}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

data "aws_iam_policy_document" "key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; use is limited to calls through AWS Backup and RDS
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  # Principals of this account (the backup role) may use the key only through AWS Backup and RDS (snapshot copies).
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
      values   = ["backup.${data.aws_region.current.name}.amazonaws.com", "rds.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}
