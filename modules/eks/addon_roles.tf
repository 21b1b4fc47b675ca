# IRSA roles of the managed add-ons that call AWS, each trusted by exactly the add-on's service account and
# holding the AWS-managed policy AWS publishes for that add-on (AWS keeps them current with the add-on).
# A caller's addons[<name>].service_account_role_arn replaces the module's role (none is created then).

locals {
  addon_role_definitions = {
    aws-ebs-csi-driver = {
      namespace       = "kube-system"
      service_account = "ebs-csi-controller-sa"
      policies        = ["service-role/AmazonEBSCSIDriverPolicy"]
    }
    vpc-cni = {
      namespace       = "kube-system"
      service_account = "aws-node"
      policies        = ["AmazonEKS_CNI_Policy"]
    }
    amazon-cloudwatch-observability = {
      namespace       = "amazon-cloudwatch"
      service_account = "cloudwatch-agent"
      policies        = ["CloudWatchAgentServerPolicy", "AWSXrayWriteOnlyAccess"]
    }
  }

  addon_roles = {
    for name, role in local.addon_role_definitions : name => role
    if contains(keys(var.addons), name) && try(var.addons[name].service_account_role_arn, null) == null
  }
}

module "addon_role" {
  source   = "../iam/modules/irsa-role"
  for_each = local.addon_roles

  name                     = "${var.name}-${each.key}"
  oidc_provider_arn        = aws_iam_openid_connect_provider.this.arn
  oidc_issuer              = replace(local.oidc_issuer_url, "https://", "")
  namespace                = each.value.namespace
  service_account          = each.value.service_account
  managed_policy_arns      = [for policy in each.value.policies : "arn:${local.partition}:iam::aws:policy/${policy}"]
  permissions_boundary_arn = var.cluster_role_permissions_boundary_arn

  tags = var.tags
}
