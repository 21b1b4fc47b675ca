# The node security group: node-to-node traffic and egress. The control plane reaches the nodes through the
# EKS-managed cluster security group, which the launch template attaches as well. This group deliberately has no
# kubernetes.io/cluster/<name> tag: the cluster security group has it, and the AWS Load Balancer Controller
# requires exactly one tagged group per node ENI.

resource "aws_security_group" "node" {
  #checkov:skip=CKV_AWS_382:its egress rule below is all-out on purpose (in plans checkov reports the rule on this group)
  name        = "${var.cluster_name}-node"
  description = "EKS managed nodes of ${var.cluster_name}: node-to-node traffic and egress"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.cluster_name}-node" })
}

resource "aws_security_group_rule" "node_to_node" {
  security_group_id = aws_security_group.node.id
  description       = "Node to node: pods, CoreDNS, kubelet and overlay traffic"
  type              = "ingress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}

resource "aws_security_group_rule" "egress" {
  #checkov:skip=CKV_AWS_382:Pods share the node ENIs (VPC CNI), so their egress (RDS, partner APIs) is the nodes' egress; restrict it with NetworkPolicies.
  security_group_id = aws_security_group.node.id
  description       = "Egress: ECR, EKS and AWS APIs, image registries and what the workloads call"
  type              = "egress"
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
