# EKS managed add-ons: versions pinned per Kubernetes version in addon_versions.tf, configuration below, and
# an IRSA role of the module for each add-on that calls AWS (addon_roles.tf).
#
# No conflict mode and no configuration_values are set here: aws 3.39 has neither `configuration_values` nor
# the 6.x spelling of the conflict mode (`resolve_conflicts_on_create`), and 6.x removed 3.39's
# `resolve_conflicts`, so no single spelling works on both. The environments that run 6.x (dev, stage, prod)
# add them with the override file provider-6/addons_override.tf, which terragrunt/_envcommon/eks.hcl generates
# next to this file (README, "Provider range"). Output addon_configuration_values shows what they send.

locals {
  # The module's own configuration of each add-on (the add-on's JSON schema: aws eks describe-addon-configuration).
  addon_default_configuration = {
    # Network policy enforcement: the VPC CNI's network policy agent on every node and the controller in the
    # control plane. Without it EKS ignores every NetworkPolicy (the chart's default-deny ones included).
    vpc-cni = { enableNetworkPolicy = "true" }
  }

  # Each add-on's configuration as EKS receives it: the module's defaults with the caller's JSON merged over.
  addon_configuration_values = {
    for name, addon in var.addons : name => jsonencode(merge(
      lookup(local.addon_default_configuration, name, {}),
      addon.configuration_values == null ? {} : jsondecode(addon.configuration_values),
    ))
    if contains(keys(local.addon_default_configuration), name) || addon.configuration_values != null
  }
}

resource "aws_eks_addon" "this" {
  for_each = var.addons

  cluster_name  = aws_eks_cluster.this.name
  addon_name    = each.key
  addon_version = coalesce(each.value.version, lookup(lookup(local.addon_versions, var.kubernetes_version, {}), each.key, "unpinned"))
  # The caller's role, or the module's own for the add-ons that call AWS (addon_roles.tf).
  service_account_role_arn = each.value.service_account_role_arn != null ? each.value.service_account_role_arn : try(module.addon_role[each.key].role_arn, null)

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    precondition {
      condition     = each.value.version != null || contains(keys(lookup(local.addon_versions, var.kubernetes_version, {})), each.key)
      error_message = "No version of the add-on ${each.key} is pinned for Kubernetes ${var.kubernetes_version} in modules/eks/addon_versions.tf: add it there or give addons[\"${each.key}\"].version."
    }
  }
}
