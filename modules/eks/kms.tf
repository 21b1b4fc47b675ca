# Two keys, each used by exactly one service: EKS (Kubernetes secrets) and CloudWatch Logs (the control-plane
# log group). The shared kms-key module adds the account root's administration statement.

module "secrets_key" {
  source = "../kms-key"

  alias                   = "${var.name}-eks-secrets"
  description             = "${var.name} EKS envelope encryption of Kubernetes secrets"
  deletion_window_in_days = var.kms_deletion_window_days
  usage_policy_json       = data.aws_iam_policy_document.secrets_key_use.json
  tags                    = var.tags
}

# What the EKS control plane needs to envelope-encrypt secrets (as documented for the cluster role).
data "aws_iam_policy_document" "secrets_key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; the one principal is the cluster role
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
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

module "logs_key" {
  source = "../kms-key"

  alias                        = "${var.name}-eks-logs"
  description                  = "${var.name} EKS control-plane logs"
  deletion_window_in_days      = var.kms_deletion_window_days
  cloudwatch_logs_arn_patterns = [local.log_group_arn]
  tags                         = var.tags
}
