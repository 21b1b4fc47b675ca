# The IAM role the EKS control plane assumes: the two AWS-managed policies EKS documents for it, nothing else.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  managed_policies = {
    cluster                 = "AmazonEKSClusterPolicy"
    vpc_resource_controller = "AmazonEKSVPCResourceController"
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "EKSControlPlane"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }

    # Only EKS acting for this account may assume the role (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                  = "${var.name}-eks-cluster"
  description           = "Assumed by the control plane of the EKS cluster ${var.name}."
  assume_role_policy    = data.aws_iam_policy_document.assume.json
  permissions_boundary  = var.permissions_boundary_arn
  force_detach_policies = true

  tags = merge(var.tags, { Name = "${var.name}-eks-cluster" })
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.managed_policies

  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}
