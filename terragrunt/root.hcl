# Shared by every unit: remote state, the generated provider and the provider lock.
# Everything that differs between environments lives in <env>/env.hcl.

locals {
  env      = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  stack    = basename(get_terragrunt_dir())
  is_local = local.env.environment == "local"

  # The embedded AWS emulator (`invoke emulator.start`); the tasks export its endpoint.
  emulator = get_env("TBYTE_EMULATOR_ENDPOINT", "http://127.0.0.1:4599")

  # CI jobs already hold the environment's role (GitHub OIDC, modules/iam github-oidc) and set this to skip
  # the assume-role a person's credentials need.
  assume_role = get_env("TBYTE_SKIP_ASSUME_ROLE", "false") != "true"
  role_arn    = "arn:aws:iam::${local.env.account_id}:role/${try(local.env.deploy_role_name, "")}"

  default_tags = {
    environment   = local.env.environment
    owner         = local.env.owner
    "cost-center" = local.env.cost_center
    repository    = "tbyte-platform"
    stack         = local.stack
    managed-by    = "terragrunt"
  }

  # Service names as provider 3.39 spells them.
  emulator_services = ["ec2", "eks", "iam", "kms", "cloudwatchlogs", "rds", "s3", "secretsmanager", "sts", "cloudwatch", "sns", "elasticache", "ecr", "wafv2", "backup", "acm", "route53"]

  # Local: the emulator with fake credentials, so that nothing can ever reach a real account.
  local_provider = <<-HCL
    provider "aws" {
      region                      = "${local.env.region}"
      access_key                  = "testing"
      secret_key                  = "testing"
      skip_credentials_validation = true
      skip_requesting_account_id  = true
      skip_metadata_api_check     = true
      s3_force_path_style         = true

      endpoints {
        %{~for service in local.emulator_services~}
        ${service} = "${local.emulator}"
        %{~endfor~}
      }

      default_tags {
        tags = ${jsonencode(local.default_tags)}
      }
    }
  HCL

  # AWS: only the environment's own account, through its deployment role.
  aws_provider = <<-HCL
    provider "aws" {
      region              = "${local.env.region}"
      allowed_account_ids = ["${local.env.account_id}"]
      %{~if local.assume_role~}

      assume_role {
        role_arn     = "${local.role_arn}"
        session_name = "terragrunt-${local.env.environment}-${local.stack}"
      }
      %{~endif~}

      default_tags {
        tags = ${jsonencode(local.default_tags)}
      }
    }
  HCL

  local_backend = {
    endpoints                   = { s3 = local.emulator }
    use_path_style              = true
    access_key                  = "testing"
    secret_key                  = "testing"
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
  }

  # AWS: the state is encrypted with the environment's customer-managed key (SSE-KMS, by its alias ARN), which
  # the CI roles may use only through S3 (modules/iam/modules/github-oidc); a bucket Terragrunt creates (only
  # with an administrator's credentials, at bootstrap) gets it as its default encryption. Terragrunt never
  # updates the bucket's settings: the CI roles may not, and the bootstrap owns them (docs/ci.md).
  state_kms_key_arn = "arn:aws:kms:${local.env.region}:${local.env.account_id}:${try(local.env.state_kms_key_alias, "")}"
  aws_backend = merge(
    {
      kms_key_id            = local.state_kms_key_arn
      bucket_sse_algorithm  = "aws:kms"
      bucket_sse_kms_key_id = local.state_kms_key_arn
      disable_bucket_update = true
    },
    local.assume_role ? { assume_role = { role_arn = local.role_arn } } : {},
  )
}

remote_state {
  backend = "s3"
  # Local: `invoke` creates the bucket in the emulator with boto3; AWS: Terragrunt creates it versioned and
  # encrypted with the state key (an administrator, at bootstrap).
  disable_init = local.is_local

  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }

  config = merge(
    {
      bucket       = local.env.state_bucket
      key          = "${local.env.environment}/${local.stack}/terraform.tfstate"
      region       = local.env.region
      encrypt      = true
      use_lockfile = true
    },
    # Indexing (not a conditional) because the two settings have different shapes.
    { local = local.local_backend, aws = local.aws_backend }[local.is_local ? "local" : "aws"],
  )
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = local.is_local ? local.local_provider : local.aws_provider
}

# One committed lock per environment kind, so that every unit verifies the provider against the published hashes:
# local the offline 3.39.0 (.terraform.lock.hcl), the AWS environments 6.25.0 (.terraform.lock.aws.hcl).
generate "lock" {
  path              = ".terraform.lock.hcl"
  if_exists         = "overwrite"
  disable_signature = true
  contents          = file("${get_parent_terragrunt_dir()}/${local.is_local ? ".terraform.lock.hcl" : ".terraform.lock.aws.hcl"}")
}

terraform {
  copy_terraform_lock_file = false

  extra_arguments "readonly_lock" {
    commands  = ["init"]
    arguments = ["-lockfile=readonly"]
  }
}

inputs = {
  tags = {}
}
