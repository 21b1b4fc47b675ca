# The key of the nodes' root volumes. Auto Scaling launches the instances of a managed node group through its
# service-linked role, so that role (not the node role) must be able to use the key and grant it to EC2.

locals {
  autoscaling_service_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
}

data "aws_iam_policy_document" "ebs_key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; the one principal is the Auto Scaling role
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
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

module "ebs_key" {
  source = "../kms-key"

  alias             = "${var.cluster_name}-node-ebs"
  description       = "${var.cluster_name} EKS node volumes"
  usage_policy_json = data.aws_iam_policy_document.ebs_key_use.json
  tags              = var.tags
}
