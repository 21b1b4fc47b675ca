# AWS Backup of the databases as every environment has it; env.hcl supplies schedule, retention and the copy region
# (prod copies every recovery point to a second region).

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  # The module's second provider, aws.copy, serves the copy region (the environment's own region when nothing is
  # copied: no resource uses it then). It is root.hcl's provider in another region: the emulator with fake
  # credentials for local, the environment's account and deployment role otherwise, the same default tags.
  copy_region = coalesce(local.env.backup_copy_region, local.env.region)
  emulator    = get_env("TBYTE_EMULATOR_ENDPOINT", "http://127.0.0.1:4599")
  assume_role = get_env("TBYTE_SKIP_ASSUME_ROLE", "false") != "true"
  role_arn    = "arn:aws:iam::${local.env.account_id}:role/${try(local.env.deploy_role_name, "")}"
  # Every service the copy provider calls, so that local never reaches AWS: ec2 (provider 3.x asks for the account's
  # platforms when it starts), sts, iam and kms (the copy key's module), backup.
  copy_services = ["ec2", "sts", "iam", "kms", "backup"]
  default_tags = jsonencode({
    environment   = local.env.environment
    owner         = local.env.owner
    "cost-center" = local.env.cost_center
    repository    = "tbyte-platform"
    stack         = basename(get_terragrunt_dir())
    managed-by    = "terragrunt"
  })

  local_copy_provider = <<-HCL
    provider "aws" {
      alias                       = "copy"
      region                      = "${local.copy_region}"
      access_key                  = "testing"
      secret_key                  = "testing"
      skip_credentials_validation = true
      skip_requesting_account_id  = true
      skip_metadata_api_check     = true

      endpoints {
        %{~for service in local.copy_services~}
        ${service} = "${local.emulator}"
        %{~endfor~}
      }

      default_tags {
        tags = ${local.default_tags}
      }
    }
  HCL

  aws_copy_provider = <<-HCL
    provider "aws" {
      alias               = "copy"
      region              = "${local.copy_region}"
      allowed_account_ids = ["${local.env.account_id}"]
      %{~if local.assume_role~}

      assume_role {
        role_arn     = "${local.role_arn}"
        session_name = "terragrunt-${local.env.environment}-backup-copy"
      }
      %{~endif~}

      default_tags {
        tags = ${local.default_tags}
      }
    }
  HCL
}

terraform {
  source = "${get_repo_root()}/modules//backup"
}

generate "provider_copy" {
  path      = "provider_copy.tf"
  if_exists = "overwrite_terragrunt"
  contents  = local.env.environment == "local" ? local.local_copy_provider : local.aws_copy_provider
}

dependency "rds" {
  config_path = "../rds"

  mock_outputs = {
    db_instance_arn = "arn:aws:rds:eu-central-1:123456789012:db:tbyte-mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

# Failed backup, copy and restore jobs go to the alarm topic.
dependency "observability" {
  config_path = "../observability"

  mock_outputs = {
    alarm_topic_arn = "arn:aws:sns:eu-central-1:123456789012:tbyte-mock-alarms"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  name          = "tbyte-${local.env.environment}"
  environment   = local.env.environment
  resource_arns = [dependency.rds.outputs.db_instance_arn]

  # The backup role carries the platform's role boundary (the deploy role manages no role without it).
  permissions_boundary_arn = local.env.permissions_boundary_arn

  schedule            = local.env.backup_schedule
  retention_days      = local.env.backup_retention_days
  copy_region         = local.env.backup_copy_region
  copy_retention_days = local.env.backup_copy_retention_days

  notifications = { topic_arn = dependency.observability.outputs.alarm_topic_arn }
}
