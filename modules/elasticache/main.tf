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
