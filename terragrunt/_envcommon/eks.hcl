# The EKS stack as every environment has it; the environment's env.hcl supplies the differences.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//eks"
}

# dev, stage and prod run hashicorp/aws 6.x (root.hcl's lock): there the add-ons also get their configuration
# (network-policy enforcement of vpc-cni) and conflict mode, from an override file aws 3.39 (local) cannot read.
generate "addons_provider_6" {
  path      = "addons_override.tf"
  if_exists = "overwrite_terragrunt"
  disable   = local.env.environment == "local"
  contents  = file("${get_repo_root()}/modules/eks/provider-6/addons_override.tf")
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id             = "vpc-00000000000000000"
    vpc_cidr           = "10.0.0.0/16"
    private_subnet_ids = ["subnet-00000000000000001", "subnet-00000000000000002"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = merge(
  {
    name                   = "tbyte-${local.env.environment}"
    environment            = local.env.environment
    kubernetes_version     = local.env.kubernetes_version
    vpc_id                 = dependency.vpc.outputs.vpc_id
    vpc_cidr               = dependency.vpc.outputs.vpc_cidr
    subnet_ids             = dependency.vpc.outputs.private_subnet_ids
    endpoint_public_access = local.env.eks_public_endpoint
    public_access_cidrs    = local.env.eks_public_access_cidrs
    log_retention_days     = local.env.log_retention_days

    # The cluster role carries the platform's role boundary (the deploy role manages no role without it).
    cluster_role_permissions_boundary_arn = local.env.permissions_boundary_arn
  },
  # An environment that sets eks_addons overrides the module's default add-ons (versions: modules/eks/addon_versions.tf).
  try({ addons = local.env.eks_addons }, {}),
)
