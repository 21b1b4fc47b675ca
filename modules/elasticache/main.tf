data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  engine = "redis"
  # Provider 3.x accepts `<major>.x` for Redis 6 and later; AWS then runs the newest 6.2 minor and reports it.
  family = "redis6.x"

  # The slow log feeds the slow-log export (see logs.tf); Redis defaults otherwise.
  default_parameters = {
    "slowlog-log-slower-than" = "10000" # microseconds: commands slower than 10 ms
    "slowlog-max-len"         = "128"
  }
  parameters = merge(local.default_parameters, var.parameters)

  # Minutes since Monday 00:00 UTC of both windows, to refuse overlapping windows at plan time (as modules/rds does).
  days               = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  snapshot_start     = tonumber(substr(var.snapshot_window, 0, 2)) * 60 + tonumber(substr(var.snapshot_window, 3, 2))
  snapshot_length    = (tonumber(substr(var.snapshot_window, 6, 2)) * 60 + tonumber(substr(var.snapshot_window, 9, 2)) - local.snapshot_start + 1440) % 1440
  maintenance_start  = index(local.days, substr(var.maintenance_window, 0, 3)) * 1440 + tonumber(substr(var.maintenance_window, 4, 2)) * 60 + tonumber(substr(var.maintenance_window, 7, 2))
  maintenance_end    = index(local.days, substr(var.maintenance_window, 10, 3)) * 1440 + tonumber(substr(var.maintenance_window, 14, 2)) * 60 + tonumber(substr(var.maintenance_window, 17, 2))
  maintenance_length = (local.maintenance_end - local.maintenance_start + 10080) % 10080
  windows_overlap = anytrue(flatten([
    for day in range(8) : [
      for shift in [0, 10080] :
      day * 1440 + local.snapshot_start < local.maintenance_start + shift + local.maintenance_length &&
      local.maintenance_start + shift < day * 1440 + local.snapshot_start + local.snapshot_length
    ]
  ]))

  final_snapshot_identifier = var.skip_final_snapshot ? null : "${var.name}-final"
}

resource "aws_elasticache_subnet_group" "this" {
  name        = var.name
  description = "Cache subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = var.name })
}

# Only the given security groups reach the Redis port (one rule each), and there is no egress at all. As in
# modules/rds, the rules are the whole list (attribute syntax), so rules added out of band are removed.
resource "aws_security_group" "this" {
  name_prefix = "${var.name}-redis-"
  description = "Redis ${var.name}: ${var.port} from allowed security groups only"
  vpc_id      = var.vpc_id

  ingress = [for sg in var.allowed_security_group_ids : {
    description      = "Redis from ${sg}"
    protocol         = "tcp"
    from_port        = var.port
    to_port          = var.port
    security_groups  = [sg]
    self             = false
    cidr_blocks      = []
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
  }]
  egress = []

  tags = merge(var.tags, { Name = "${var.name}-redis" })

  lifecycle {
    create_before_destroy = true
  }
}

# Cache parameter groups have no name_prefix (nor tags on provider 3.x); the family is part of the name.
resource "aws_elasticache_parameter_group" "this" {
  name        = "${var.name}-${replace(local.family, ".", "-")}"
  family      = local.family
  description = "Redis ${local.family} parameters of ${var.name}"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name  = parameter.key
      value = parameter.value
    }
  }
}

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
