# Additional security group of the control-plane network interfaces. EKS also attaches the security group it
# manages itself (output cluster_security_group_id), which nodes use to talk to the control plane.

locals {
  # Where the control plane connects to in the VPC: kubelets (10250) and admission/conversion webhooks on the
  # ports their usual providers serve on (443, 4443 metrics-server, 6443, 8443, 9443 controller-runtime).
  control_plane_egress_ports = {
    https       = 443
    webhook4443 = 4443
    webhook6443 = 6443
    webhook8443 = 8443
    webhook9443 = 9443
    kubelet     = 10250
  }
}

resource "aws_security_group" "cluster" {
  name_prefix = "${var.name}-eks-cluster-"
  description = "Additional security group of the ${var.name} EKS control plane"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-eks-cluster" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group_rule" "egress_vpc" {
  for_each = local.control_plane_egress_ports

  security_group_id = aws_security_group.cluster.id
  type              = "egress"
  description       = "Control plane to nodes and webhooks in the VPC (${each.key})"
  protocol          = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_blocks       = [var.vpc_cidr]
}

resource "aws_security_group_rule" "ingress_api_cidrs" {
  count = length(var.api_ingress_cidrs) > 0 ? 1 : 0

  security_group_id = aws_security_group.cluster.id
  type              = "ingress"
  description       = "Kubernetes API from allowed networks"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = var.api_ingress_cidrs
}

resource "aws_security_group_rule" "ingress_api_security_groups" {
  count = length(var.api_ingress_security_group_ids)

  security_group_id        = aws_security_group.cluster.id
  type                     = "ingress"
  description              = "Kubernetes API from an allowed security group"
  protocol                 = "tcp"
  from_port                = 443
  to_port                  = 443
  source_security_group_id = var.api_ingress_security_group_ids[count.index]
}
