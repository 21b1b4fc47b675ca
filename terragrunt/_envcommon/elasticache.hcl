# Redis (ElastiCache) as every environment has it; env.hcl supplies size, availability and snapshot retention.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  # `local` runs the offline hashicorp/aws 3.39.0 and the AWS environments 6.25.0 (root.hcl writes the lock by the
  # same test). The module is written for 6.x; its replication group has a provider-3 variant (3.x spells two
  # arguments differently and has no log delivery: modules/elasticache/README.md).
  replication_group = "${get_repo_root()}/modules/elasticache/${local.env.environment == "local" ? "provider3/" : ""}replication_group.tf"
}

terraform {
  source = "${get_repo_root()}/modules//elasticache"
}

# The replication group for the environment's provider: the provider-3 variant over the module's own file for
# `local`, the module's own file (unchanged) everywhere else.
generate "replication_group" {
  path              = "replication_group.tf"
  if_exists         = "overwrite"
  disable_signature = true
  contents          = file(local.replication_group)
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id              = "vpc-00000000000000000"
    database_subnet_ids = ["subnet-00000000000000003", "subnet-00000000000000004"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

dependency "node_group" {
  config_path = "../node-group"

  mock_outputs = {
    node_security_group_id = "sg-00000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

# The application's IRSA role may read the cache's secret (and only that: modules/elasticache iam.tf).
dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    app_role_name = "tbyte-mock-app"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  name        = "tbyte-${local.env.environment}"
  environment = local.env.environment

  node_type                  = local.env.cache_node_type
  number_cache_clusters      = local.env.cache_nodes
  automatic_failover_enabled = local.env.cache_nodes > 1
  multi_az_enabled           = local.env.cache_multi_az

  # The isolated database subnets: nothing there routes to the internet, and only the nodes reach the port.
  vpc_id                     = dependency.vpc.outputs.vpc_id
  subnet_ids                 = dependency.vpc.outputs.database_subnet_ids
  allowed_security_group_ids = [dependency.node_group.outputs.node_security_group_id]

  snapshot_retention_limit = local.env.cache_snapshot_retention_days
  skip_final_snapshot      = !local.env.db_deletion_protection
  log_retention_days       = local.env.log_retention_days

  secret_name         = "tbyte/${local.env.environment}/redis"
  secret_reader_roles = { app = dependency.iam.outputs.app_role_name }
}
