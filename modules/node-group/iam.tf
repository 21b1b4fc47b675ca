# The node role: what the kubelet, the ECR pull, SSM Session Manager and (unless it has its own role) the VPC CNI need.

data "aws_iam_policy_document" "node_assume" {
  statement {
    sid     = "EC2AssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name                 = "${var.cluster_name}-node"
  description          = "EKS managed nodes of ${var.cluster_name}"
  assume_role_policy   = data.aws_iam_policy_document.node_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

locals {
  node_policies = merge(
    {
      AmazonEKSWorkerNodePolicy          = "AmazonEKSWorkerNodePolicy"
      AmazonEC2ContainerRegistryReadOnly = "AmazonEC2ContainerRegistryReadOnly"
      AmazonSSMManagedInstanceCore       = "AmazonSSMManagedInstanceCore"
    },
    var.vpc_cni_uses_irsa ? {} : { AmazonEKS_CNI_Policy = "AmazonEKS_CNI_Policy" },
  )
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = local.node_policies

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}
