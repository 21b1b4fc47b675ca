# EKS managed add-ons. No conflict mode is set: aws 3.39 names it `resolve_conflicts`, aws 6.x
# `resolve_conflicts_on_create` / `resolve_conflicts_on_update`, and no name works on both (README, Provider range).
resource "aws_eks_addon" "this" {
  for_each = var.addons

  cluster_name             = aws_eks_cluster.this.name
  addon_name               = each.key
  addon_version            = each.value.version
  service_account_role_arn = each.value.service_account_role_arn

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
