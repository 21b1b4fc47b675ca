# Alarms and the dashboard as every environment has them; env.hcl supplies who is notified, the sizes the
# percentage thresholds need and, once the AWS Load Balancer Controller created it, the ALB.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//observability"
}

dependency "eks" {
  config_path = "../eks"

  mock_outputs = {
    cluster_name = "tbyte-mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

dependency "rds" {
  config_path = "../rds"

  mock_outputs = {
    db_instance_identifier = "tbyte-mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

dependency "elasticache" {
  config_path = "../elasticache"

  mock_outputs = {
    replication_group_id = "tbyte-mock"
    member_clusters      = ["tbyte-mock-001"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  name                = "tbyte-${local.env.environment}"
  alarm_subscriptions = local.env.alarm_subscriptions

  rds = {
    instance_id           = dependency.rds.outputs.db_instance_identifier
    allocated_storage_gib = local.env.db_allocated_storage
    memory_gib            = local.env.db_instance_memory_gib
  }
  elasticache = {
    replication_group_id = dependency.elasticache.outputs.replication_group_id
    member_clusters      = dependency.elasticache.outputs.member_clusters
  }
  eks_cluster_name = dependency.eks.outputs.cluster_name

  # Null until the controller has created the ALB; then { arn_suffix, target_group_arn_suffixes } in env.hcl.
  alb                           = local.env.alb_monitoring
  alb_response_time_slo_seconds = local.env.latency_slo_seconds
}
