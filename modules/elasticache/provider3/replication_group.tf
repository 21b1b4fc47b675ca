# Provider-3 variant of modules/elasticache/replication_group.tf, for hashicorp/aws 3.x (the offline 3.39.0 of
# `local`, applied in the emulator, and of the module tests). It replaces that file where the provider is 3.x, and
# nowhere else: terragrunt/_envcommon/elasticache.hcl generates replication_group.tf from it for `local`, and the
# module tests' planner substitutes it (tests/modules/conftest.py, copy_modules).
#
# It differs from the module's own file only where 3.x cannot say the same thing:
#   - `replication_group_description` and `number_cache_clusters`, all 3.x has (5.0 removed them in favour of
#     `description` and `num_cache_clusters`, which 3.x does not know);
#   - no `log_delivery_configuration` (arrived in 4.8): the slow-log and engine-log groups exist but nothing
#     delivers to them on 3.x.
# tests/modules/elasticache/test_provider3_variant.py enforces that; change both files together.

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV_AWS_31:Transit encryption is on and auth_token is set, from the secret version generated at apply: unknown and sensitive in a plan, where checkov cannot see it (plan test asserts both).
  #checkov:skip=CKV2_AWS_50:Automatic failover is an input: required in prod (precondition) and on in stage; single-node dev/local have no replica to fail over to.
  replication_group_id          = var.name
  replication_group_description = "Redis of ${var.name}"

  engine               = local.engine
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = var.port
  parameter_group_name = aws_elasticache_parameter_group.this.name

  # One primary and number_cache_clusters - 1 replicas (cluster mode disabled: one shard, a reader endpoint).
  number_cache_clusters      = var.number_cache_clusters
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
