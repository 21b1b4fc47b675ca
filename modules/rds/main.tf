data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  engine        = "postgres"
  port          = 5432
  major_version = split(".", var.engine_version)[0]
  family        = "postgres${local.major_version}"

  final_snapshot_identifier = "${var.identifier}-final"

  # Autoscaling is off when the ceiling equals the allocated storage (0 is what AWS reports then).
  max_allocated_storage = var.max_allocated_storage > var.allocated_storage ? var.max_allocated_storage : 0

  # TLS only, and enough logging to investigate connections, slow queries, locks and schema changes.
  default_parameters = {
    "rds.force_ssl"              = { value = "1", apply_method = "immediate" }
    "password_encryption"        = { value = "scram-sha-256", apply_method = "immediate" }
    "log_connections"            = { value = "1", apply_method = "immediate" }
    "log_disconnections"         = { value = "1", apply_method = "immediate" }
    "log_min_duration_statement" = { value = "1000", apply_method = "immediate" }
    "log_lock_waits"             = { value = "1", apply_method = "immediate" }
    "log_statement"              = { value = "ddl", apply_method = "immediate" }
    "log_temp_files"             = { value = "10240", apply_method = "immediate" }
  }
  parameters = merge(local.default_parameters, var.parameters, { "rds.force_ssl" = local.default_parameters["rds.force_ssl"] })

  # Minutes since Monday 00:00 UTC of both windows, to refuse overlapping windows at plan time.
  days               = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  backup_start       = tonumber(substr(var.backup_window, 0, 2)) * 60 + tonumber(substr(var.backup_window, 3, 2))
  backup_length      = (tonumber(substr(var.backup_window, 6, 2)) * 60 + tonumber(substr(var.backup_window, 9, 2)) - local.backup_start + 1440) % 1440
  maintenance_start  = index(local.days, substr(var.maintenance_window, 0, 3)) * 1440 + tonumber(substr(var.maintenance_window, 4, 2)) * 60 + tonumber(substr(var.maintenance_window, 7, 2))
  maintenance_end    = index(local.days, substr(var.maintenance_window, 10, 3)) * 1440 + tonumber(substr(var.maintenance_window, 14, 2)) * 60 + tonumber(substr(var.maintenance_window, 17, 2))
  maintenance_length = (local.maintenance_end - local.maintenance_start + 10080) % 10080
  windows_overlap = anytrue(flatten([
    for day in range(8) : [
      for shift in [0, 10080] :
      day * 1440 + local.backup_start < local.maintenance_start + shift + local.maintenance_length &&
      local.maintenance_start + shift < day * 1440 + local.backup_start + local.backup_length
    ]
  ]))
}

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Database subnets of ${var.identifier}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = var.identifier })
}

# Only the given security groups reach 5432 (one rule each), and there is no egress at all. The rules are the whole
# list (attribute syntax): rules added out of band are removed, an empty list really means no ingress, security
# group IDs created in the same apply are accepted, and a change of the list updates the group in place.
resource "aws_security_group" "this" {
  name_prefix = "${var.identifier}-rds-"
  description = "PostgreSQL ${var.identifier}: 5432 from allowed security groups only"
  vpc_id      = var.vpc_id

  ingress = [for sg in var.allowed_security_group_ids : {
    description      = "PostgreSQL from ${sg}"
    protocol         = "tcp"
    from_port        = local.port
    to_port          = local.port
    security_groups  = [sg]
    self             = false
    cidr_blocks      = []
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
  }]
  egress = []

  tags = merge(var.tags, { Name = "${var.identifier}-rds" })

  lifecycle {
    create_before_destroy = true
  }
}

# name_prefix and create_before_destroy: a major upgrade creates the group of the new family before the instance
# switches to it and the old one is removed.
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.identifier}-${local.family}-"
  family      = local.family
  description = "PostgreSQL ${local.major_version} parameters of ${var.identifier}"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = merge(var.tags, { Name = var.identifier })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.identifier
  engine         = local.engine
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = local.port

  username = var.master_username
  password = local.master_password
  # The initial database is not created here: `name` (3.x) was replaced by `db_name` (4.x) and removed in 5.x, so no
  # argument works across the supported provider range. See README.
  iam_database_authentication_enabled = true
  # The server certificate clients verify (sslmode=verify-full); AWS's default CA for new instances may be older.
  ca_cert_identifier = var.ca_cert_identifier

  allocated_storage     = var.allocated_storage
  max_allocated_storage = local.max_allocated_storage
  storage_type          = var.storage_type
  storage_encrypted     = true
  kms_key_id            = module.key.key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = local.final_snapshot_identifier

  auto_minor_version_upgrade  = var.auto_minor_version_upgrade
  allow_major_version_upgrade = var.allow_major_version_upgrade

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = module.key.key_arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  enabled_cloudwatch_logs_exports = var.log_exports

  tags = merge(var.tags, { Name = var.identifier })

  # The log groups exist (encrypted, with retention) before RDS would create them unencrypted and kept forever;
  # the monitoring role has its policy before RDS checks it.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.monitoring]

  lifecycle {
    # Provider 3.x reads back the 3000 baseline IOPS AWS reports for gp3 into the non-computed `iops`, which is a
    # perpetual diff; IOPS are not managed by this module (4.x+ computes the attribute, where this is a no-op).
    ignore_changes = [iops]

    precondition {
      condition     = var.environment != "prod" || (var.deletion_protection && var.multi_az)
      error_message = "In prod the database must have deletion_protection = true and multi_az = true."
    }
    precondition {
      condition     = var.environment != "prod" || !var.skip_final_snapshot
      error_message = "In prod the database must keep a final snapshot (skip_final_snapshot = false)."
    }
    precondition {
      condition     = var.max_allocated_storage >= var.allocated_storage
      error_message = "max_allocated_storage must be greater than or equal to allocated_storage (equal turns storage autoscaling off)."
    }
    precondition {
      condition     = !local.windows_overlap
      error_message = "backup_window and maintenance_window must not overlap."
    }
  }
}
