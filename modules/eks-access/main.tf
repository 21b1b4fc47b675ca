# EKS access entries of the access groups of platform/tenants.yaml (terragrunt/tenancy.hcl derives them): each
# group's IAM role is mapped to its Kubernetes group, whose RBAC (helm/charts/tenancy) says what it may do; a group
# whose level names an EKS access policy also gets that policy, scoped to the group's namespaces (or the cluster).
#
# Provider 5.33 or newer only: hashicorp/aws 3.39 (the offline provider, `local`) has neither resource, and
# Terraform refuses unknown resource types even with count = 0, so `local` never uses this module; its aws-auth
# ConfigMap expresses the same role -> group mapping (helm/charts/tenancy). Access entries also need the cluster's
# authentication mode API (terragrunt/_envcommon/eks.hcl sets it in the AWS environments).

data "aws_partition" "current" {}

locals {
  policy_arn_prefix = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/"
}

resource "aws_eks_access_entry" "this" {
  for_each = var.access_entries

  cluster_name      = var.cluster_name
  principal_arn     = each.value.principal_arn
  kubernetes_groups = each.value.kubernetes_groups
  type              = "STANDARD"

  tags = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
}

resource "aws_eks_access_policy_association" "this" {
  for_each = local.associations

  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "${local.policy_arn_prefix}${each.value.policy}"

  access_scope {
    type       = each.value.scope
    namespaces = each.value.namespaces
  }
}
