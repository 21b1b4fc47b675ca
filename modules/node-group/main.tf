data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # Kubernetes spells the EKS API's taint effects differently.
  kubelet_taint_effects = {
    NO_SCHEDULE        = "NoSchedule"
    NO_EXECUTE         = "NoExecute"
    PREFER_NO_SCHEDULE = "PreferNoSchedule"
  }

  # hashicorp/aws 3.39 has no `taint` block on aws_eks_node_group, so the kubelet registers the taints itself,
  # from user data that EKS merges with its own bootstrap. Groups without taints get no user data at all.
  taints_user_data = {
    for name, group in var.node_groups : name => length(group.taints) == 0 ? null : base64encode(templatefile("${path.module}/templates/taints_user_data.tftpl", {
      taints_json = jsonencode([
        for taint in group.taints : merge(
          { key = taint.key, effect = local.kubelet_taint_effects[taint.effect] },
          taint.value == null ? {} : { value = taint.value },
        )
      ])
    }))
  }
}

resource "aws_launch_template" "this" {
  for_each = var.node_groups

  name                   = "${var.cluster_name}-${each.key}"
  description            = "EKS managed node group ${each.key} of ${var.cluster_name}"
  update_default_version = true

  # No image_id: EKS picks the AMI of ami_type and merges its bootstrap with user_data. No key pair: use SSM.
  user_data = local.taints_user_data[each.key]

  # Listing security groups here replaces the one EKS would attach, so the cluster security group is listed too.
  vpc_security_group_ids = [var.cluster_security_group_id, aws_security_group.node.id]

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = module.ebs_key.key_arn
      delete_on_termination = true
    }
  }

  # IMDSv2 only, and a hop limit of 1 so that pods (one network hop further) cannot take the node role.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
  }

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
}

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name    = var.cluster_name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = each.value.subnet_ids != null ? each.value.subnet_ids : var.subnet_ids
  version         = var.cluster_version

  ami_type       = each.value.ami_type
  capacity_type  = each.value.capacity_type
  instance_types = each.value.instance_types
  labels         = each.value.labels

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = aws_launch_template.this[each.key].latest_version
  }

  scaling_config {
    min_size     = each.value.min_size
    desired_size = each.value.desired_size
    max_size     = each.value.max_size
  }

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })

  # The nodes need their policies while they join, and EKS needs them while it drains the nodes on delete.
  depends_on = [aws_iam_role_policy_attachment.node]

  lifecycle {
    # desired_size is only the initial size: the cluster autoscaler owns it afterwards.
    ignore_changes = [scaling_config[0].desired_size]
  }
}
