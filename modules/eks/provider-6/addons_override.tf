# Added next to modules/eks/addons.tf by terragrunt/_envcommon/eks.hcl (a `generate` block) in the environments
# that run hashicorp/aws 6.x: dev, stage and prod. Terraform merges an *_override.tf file into the resource of
# the same address, so the add-ons get what aws 3.39 (local, the offline tests) cannot express:
#   configuration_values         network-policy enforcement of vpc-cni and the other add-ons' configuration
#                                (local.addon_configuration_values, also the module's output of that name)
#   resolve_conflicts_on_create  OVERWRITE: the vpc-cni, coredns and kube-proxy EKS installs self-managed at
#                                cluster creation are taken over with this configuration; later updates keep
#                                the default (NONE: a field edited on the cluster fails the update, README).
# tests/modules/test_provider_schema.py checks every argument here against the aws 6.25 schema.
resource "aws_eks_addon" "this" {
  configuration_values        = lookup(local.addon_configuration_values, each.key, null)
  resolve_conflicts_on_create = "OVERWRITE"
}
