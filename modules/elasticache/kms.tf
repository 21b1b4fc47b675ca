# One customer-managed key for everything of this cache: the data at rest and in snapshots, the secret and the logs.

module "key" {
  source = "../kms-key"

  alias                        = "${var.name}-redis"
  description                  = "${var.name} Redis: data at rest and snapshots, AUTH token secret, logs"
  usage_policy_json            = data.aws_iam_policy_document.key_use.json
  cloudwatch_logs_arn_patterns = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_base}/*"]
  tags                         = var.tags
}

locals {
  account_root   = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  log_group_base = "/aws/elasticache/${var.name}"
}

data "aws_iam_policy_document" "key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; use is limited to ElastiCache and Secrets Manager calls
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  # Principals of this account may use the key only through ElastiCache (data, snapshots) and Secrets Manager.
  statement {
    sid       = "UseThroughElastiCacheAndSecretsManager"
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
      values   = ["elasticache.${data.aws_region.current.name}.amazonaws.com", "secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}
