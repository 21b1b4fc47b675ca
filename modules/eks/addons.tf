# EKS managed add-ons. `resolve_conflicts` is the argument aws 3.39 has (see versions.tf for the range).
resource "aws_eks_addon" "this" {
  for_each = var.addons

  cluster_name             = aws_eks_cluster.this.name
  addon_name               = each.key
  addon_version            = each.value.version
  resolve_conflicts        = each.value.resolve_conflicts
  service_account_role_arn = each.value.service_account_role_arn

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
