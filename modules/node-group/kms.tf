# The key of the nodes' root volumes. Auto Scaling launches the instances of a managed node group through its
# service-linked role, so that role (not the node role) must be able to use the key and grant it to EC2.

locals {
  autoscaling_service_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
}

data "aws_iam_policy_document" "ebs_key" {
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; principals are the account root and the Auto Scaling role.
  #checkov:skip=CKV_AWS_356:Key policy: "*" as resource means this key only (a key policy cannot name its own ARN).
  #checkov:skip=CKV_AWS_109:Key policy: kms:* is the account-root administration statement that keeps the key manageable.
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AutoScalingUseForEbs"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_service_role_arn]
    }
  }

  statement {
    sid       = "AutoScalingGrantToEbs"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_service_role_arn]
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "ebs" {
  description         = "${var.cluster_name} EKS node volumes"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.ebs_key.json

  tags = var.tags
}

resource "aws_kms_alias" "ebs" {
  name          = "alias/${var.cluster_name}-node-ebs"
  target_key_id = aws_kms_key.ebs.key_id
}
