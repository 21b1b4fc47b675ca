# One customer-managed key for the images of every repository of the environment.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

module "key" {
  source = "../kms-key"

  alias             = coalesce(var.key_alias, "${var.namespace}-ecr")
  description       = "ECR images of ${var.namespace}: ${join(", ", var.services)}"
  usage_policy_json = data.aws_iam_policy_document.key_use.json
  tags              = var.tags
}

data "aws_iam_policy_document" "key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; use is limited to calls through ECR
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  # Principals of this account may use the key only through ECR (pushing encrypts layers, pulling decrypts them).
  statement {
    sid       = "UseThroughEcr"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ecr.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}
