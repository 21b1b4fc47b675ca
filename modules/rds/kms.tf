# One customer-managed key for everything of this database: storage, Performance Insights, the secret and the logs.

module "key" {
  source = "../kms-key"

  alias                        = "${var.identifier}-rds"
  description                  = "${var.identifier} PostgreSQL: storage, Performance Insights, secret, logs"
  usage_policy_json            = data.aws_iam_policy_document.key_use.json
  cloudwatch_logs_arn_patterns = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_base}/*"]
  tags                         = var.tags
}

locals {
  account_root   = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  log_group_base = "/aws/rds/instance/${var.identifier}"
}

data "aws_iam_policy_document" "key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; use is limited to RDS and Secrets Manager calls
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
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

}
