# The VPC stack as every environment has it; the environment's env.hcl supplies the differences.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//vpc"
}

inputs = {
  name                    = "tbyte-${local.env.environment}"
  cidr                    = local.env.vpc_cidr
  azs                     = slice(local.env.availability_zones, 0, local.env.az_count)
  nat_gateway_mode        = local.env.nat_gateway_mode
  cluster_name            = "tbyte-${local.env.environment}"
  flow_log_retention_days = local.env.log_retention_days

  # The flow logs role carries the platform's role boundary (the deploy role manages no role without it).
  permissions_boundary_arn = local.env.permissions_boundary_arn
}
