# PostgreSQL as every environment has it; env.hcl supplies size, availability and protection.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//rds"
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

inputs = {
  identifier  = "tbyte-${local.env.environment}"
  environment = local.env.environment

  instance_class        = local.env.db_instance_class
  allocated_storage     = local.env.db_allocated_storage
  max_allocated_storage = local.env.db_max_allocated_storage
  multi_az              = local.env.db_multi_az

  vpc_id                     = dependency.vpc.outputs.vpc_id
  subnet_ids                 = dependency.vpc.outputs.database_subnet_ids
  allowed_security_group_ids = [dependency.node_group.outputs.node_security_group_id]

  database_name = "tbyte"
  secret_name   = "tbyte/${local.env.environment}/database"

  backup_retention_period               = local.env.db_backup_retention_days
  deletion_protection                   = local.env.db_deletion_protection
  skip_final_snapshot                   = !local.env.db_deletion_protection
  performance_insights_retention_period = local.env.db_performance_insights
  monitoring_interval                   = local.env.db_monitoring_interval
  log_retention_days                    = local.env.log_retention_days

  # The monitoring role carries the platform's role boundary (the deploy role manages no role without it).
  permissions_boundary_arn = local.env.permissions_boundary_arn
}
