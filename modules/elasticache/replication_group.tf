# The replication group, written for the production provider (hashicorp/aws 6.x: dev, stage, prod).
#
# Provider 3.x (the offline 3.39.0 of `local` and of the module tests) names two of its arguments differently and
# has no log delivery, so this one file has a provider-3 variant, provider3/replication_group.tf, which replaces it
# where the provider is 3.x: terragrunt/_envcommon/elasticache.hcl generates replication_group.tf from one or the
# other by environment, and the module tests' planner substitutes it (tests/modules/conftest.py). The two files
# differ only where the providers differ (`description`/`replication_group_description`,
# `num_cache_clusters`/`number_cache_clusters`, the log delivery), which
# tests/modules/elasticache/test_provider3_variant.py enforces; change both together.

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV_AWS_31:Transit encryption is on and auth_token is set, from the secret version generated at apply: unknown and sensitive in a plan, where checkov cannot see it (plan test asserts both).
  #checkov:skip=CKV2_AWS_50:Automatic failover is an input: required in prod (precondition) and on in stage; single-node dev/local have no replica to fail over to.
  replication_group_id = var.name
  description          = "Redis of ${var.name}"

  engine               = local.engine
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = var.port
  parameter_group_name = aws_elasticache_parameter_group.this.name

  # One primary and number_cache_clusters - 1 replicas (cluster mode disabled: one shard, a reader endpoint).
  num_cache_clusters         = var.number_cache_clusters
  automatic_failover_enabled = var.automatic_failover_enabled
  multi_az_enabled           = var.multi_az_enabled

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = module.key.key_arn
  transit_encryption_enabled = true
  auth_token                 = local.auth_token

  maintenance_window         = var.maintenance_window
  snapshot_window            = var.snapshot_window
  snapshot_retention_limit   = var.snapshot_retention_limit
  final_snapshot_identifier  = local.final_snapshot_identifier
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately

  # The slow log and the engine log, as JSON, into the module's KMS-encrypted, expiring log groups (logs.tf): one
  # delivery per group, so `log_types` chooses both the groups and what is delivered.
  dynamic "log_delivery_configuration" {
    for_each = aws_cloudwatch_log_group.this
    content {
      log_type         = log_delivery_configuration.key
      destination_type = "cloudwatch-logs"
      destination      = log_delivery_configuration.value.name
      log_format       = "json"
    }
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = var.environment != "prod" || (var.automatic_failover_enabled && var.multi_az_enabled && var.number_cache_clusters >= 2)
      error_message = "In prod the cache must have number_cache_clusters >= 2, automatic_failover_enabled = true and multi_az_enabled = true."
    }
    precondition {
      condition     = var.environment != "prod" || (!var.skip_final_snapshot && var.snapshot_retention_limit >= 7)
      error_message = "In prod the cache must keep a final snapshot (skip_final_snapshot = false) and snapshot_retention_limit >= 7."
    }
    precondition {
      condition     = !var.automatic_failover_enabled || var.number_cache_clusters >= 2
      error_message = "automatic_failover_enabled needs number_cache_clusters >= 2 (a replica to fail over to)."
    }
    precondition {
      condition     = !var.multi_az_enabled || var.automatic_failover_enabled
      error_message = "multi_az_enabled needs automatic_failover_enabled = true."
    }
    precondition {
      condition     = !var.multi_az_enabled || length(var.subnet_ids) >= 2
      error_message = "multi_az_enabled needs subnet_ids in at least 2 availability zones."
    }
    precondition {
      condition     = !local.windows_overlap
      error_message = "snapshot_window and maintenance_window must not overlap."
    }
  }
}
