# Two keys, each with a policy that lets exactly one service use it: EKS (Kubernetes secrets) and CloudWatch Logs
# (the control-plane log group). The account root keeps administration so that IAM can delegate it.

locals {
  account_root_arn = "arn:${local.partition}:iam::${local.account_id}:root"
}

resource "aws_kms_key" "secrets" {
  description             = "${var.name} EKS envelope encryption of Kubernetes secrets"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.secrets_key.json

  tags = merge(var.tags, { Name = "${var.name}-eks-secrets" })
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-eks-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

data "aws_iam_policy_document" "secrets_key" {
  # In a key policy, resources = ["*"] means this key only; the checks below are written for identity policies.
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself, principals are the account root and one service
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  #checkov:skip=CKV_AWS_109:key policy: kms:* only for the account root, which keeps the key manageable
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root_arn]
    }
  }

  # What the EKS control plane needs to envelope-encrypt secrets (as documented for the cluster role).
  statement {
    sid       = "EKSClusterRoleUse"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [module.cluster_role.role_arn]
    }
  }
}

resource "aws_kms_key" "logs" {
  description             = "${var.name} EKS control-plane logs"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.logs_key.json

  tags = merge(var.tags, { Name = "${var.name}-eks-logs" })
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${var.name}-eks-logs"
  target_key_id = aws_kms_key.logs.key_id
}

data "aws_iam_policy_document" "logs_key" {
  # In a key policy, resources = ["*"] means this key only; the checks below are written for identity policies.
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself, principals are the account root and one service
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  #checkov:skip=CKV_AWS_109:key policy: kms:* only for the account root, which keeps the key manageable
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root_arn]
    }
  }

  statement {
    sid       = "CloudWatchLogsUseForThisLogGroup"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }
}
