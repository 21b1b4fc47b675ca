variable "identifier" {
  description = "Name of the DB instance and prefix of every resource of the module (for example `tbyte-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,46}[a-z0-9]$", var.identifier)) && !can(regex("--", var.identifier))
    error_message = "identifier must be 3-48 characters of lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "environment" {
  description = "Environment the database belongs to: local, dev, stage or prod (prod enforces Multi-AZ, deletion protection and a final snapshot)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "stage", "prod"], var.environment)
    error_message = "environment must be one of local, dev, stage, prod."
  }
}

variable "engine_version" {
  description = "PostgreSQL version, major only (`16`, recommended: AWS applies minor upgrades) or major.minor (`16.4`); majors 13 to 17."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^(1[3-7])(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a PostgreSQL major version 13 to 17, optionally with a minor version (for example 16 or 16.4)."
  }
}

variable "ca_cert_identifier" {
  description = "Certificate authority of the instance's server certificate: one of the current RDS CAs (RSA 2048, RSA 4096 or ECC 384, each valid until 2061 or later)."
  type        = string
  default     = "rds-ca-rsa2048-g1"

  validation {
    condition     = contains(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"], var.ca_cert_identifier)
    error_message = "ca_cert_identifier must be rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1."
  }
}

variable "instance_class" {
  description = "DB instance class (for example `db.t4g.micro` for dev, `db.m7g.large` for prod)."
  type        = string

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, for example db.t4g.micro."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB (20 to 65536). Grow it through storage autoscaling (max_allocated_storage) rather than by editing this value."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB; must be at least allocated_storage. Equal to allocated_storage turns autoscaling off."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536 && floor(var.max_allocated_storage) == var.max_allocated_storage
    error_message = "max_allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "storage_type" {
  description = "Storage type: `gp3` (default; 3000 IOPS and 125 MiB/s baseline) or `gp2`."
  type        = string
  default     = "gp3"

  validation {
    condition     = contains(["gp3", "gp2"], var.storage_type)
    error_message = "storage_type must be gp3 or gp2."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second availability zone (required in prod)."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "ID of the VPC of the database subnets (the security group is created in it)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "The VPC's isolated database subnets (at least 2, in different availability zones) for the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must list at least 2 distinct database subnets (in different availability zones)."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of subnet_ids must be a subnet ID such as subnet-0123456789abcdef0."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (for example the EKS nodes') whose members may connect on 5432; nothing else can reach the database."
  type        = list(string)

  validation {
    condition     = length(distinct(var.allowed_security_group_ids)) == length(var.allowed_security_group_ids)
    error_message = "allowed_security_group_ids must not repeat a security group."
  }

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of allowed_security_group_ids must be a security group ID such as sg-0123456789abcdef0."
  }
}

variable "database_name" {
  description = "Application database name, published in the secret and outputs. Not created by the module on the provider range it supports (see README)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name)) && !contains(["postgres", "template0", "template1", "rdsadmin"], var.database_name)
    error_message = "database_name must be 1-63 lowercase letters, digits or underscores starting with a letter, and not postgres, template0, template1 or rdsadmin."
  }
}

variable "master_username" {
  description = "Master user name (lowercase; not a reserved name such as postgres, admin or rdsadmin). The password is generated and kept in Secrets Manager."
  type        = string
  default     = "tbyte_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username))
    error_message = "master_username must be 1-63 lowercase letters, digits or underscores, starting with a letter."
  }

  validation {
    condition = !contains([
      "postgres", "admin", "administrator", "root", "master", "superuser", "user", "public",
      "rdsadmin", "rdsrepladmin", "rdstopmgr", "rds_superuser", "rds_replication",
    ], var.master_username) && !can(regex("^(pg|rds)_", var.master_username))
    error_message = "master_username must not be a reserved name (postgres, admin, administrator, root, master, superuser, user, public, rdsadmin, rdsrepladmin, rdstopmgr) nor start with pg_ or rds_."
  }
}

variable "backup_retention_period" {
  description = "Days of automated backups and point-in-time recovery (1 to 35)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days between 1 and 35."
  }
}

variable "backup_window" {
  description = "Daily backup window, `hh24:mi-hh24:mi` in UTC, at least 30 minutes, not overlapping the maintenance window."
  type        = string
  default     = "02:00-03:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be hh24:mi-hh24:mi in UTC, for example 02:00-03:00."
  }

  validation {
    condition = try((
      (tonumber(substr(var.backup_window, 6, 2)) * 60 + tonumber(substr(var.backup_window, 9, 2))) -
      (tonumber(substr(var.backup_window, 0, 2)) * 60 + tonumber(substr(var.backup_window, 3, 2))) + 1440
    ) % 1440 >= 30, true)
    error_message = "backup_window must last at least 30 minutes."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC with lowercase days (for example `sun:03:30-sun:04:30`), at least 30 minutes."
  type        = string
  default     = "sun:03:30-sun:04:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC with lowercase days, for example sun:03:30-sun:04:30."
  }

  validation {
    condition = try((
      (index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], substr(var.maintenance_window, 10, 3)) * 1440 + tonumber(substr(var.maintenance_window, 14, 2)) * 60 + tonumber(substr(var.maintenance_window, 17, 2))) -
      (index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], substr(var.maintenance_window, 0, 3)) * 1440 + tonumber(substr(var.maintenance_window, 4, 2)) * 60 + tonumber(substr(var.maintenance_window, 7, 2))) + 10080
    ) % 10080 >= 30, true)
    error_message = "maintenance_window must last at least 30 minutes."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance until this is turned off (required in prod)."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot. When false, deletion leaves the snapshot `<identifier>-final` (required in prod)."
  type        = bool
  default     = false
}

variable "allow_major_version_upgrade" {
  description = "Allow a change of engine_version to a new major version (the parameter group of the new family is created before the old one is removed)."
  type        = bool
  default     = false
}

variable "auto_minor_version_upgrade" {
  description = "Let AWS apply minor engine upgrades in the maintenance window (pair it with a major-only engine_version)."
  type        = bool
  default     = true
}

variable "performance_insights_retention_period" {
  description = "Days of Performance Insights history, encrypted with the module key: 7 (free tier), a multiple of 31 up to 713, or 731."
  type        = number
  default     = 7

  validation {
    condition     = contains([7, 731], var.performance_insights_retention_period) || (var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 713 && var.performance_insights_retention_period % 31 == 0)
    error_message = "performance_insights_retention_period must be 7, 731, or a multiple of 31 between 31 and 713."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (1, 5, 10, 15, 30 or 60); 0 turns it off and creates no monitoring role."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "log_exports" {
  description = "PostgreSQL logs exported to CloudWatch Logs (a subset of postgresql and upgrade), into KMS-encrypted log groups created by the module."
  type        = list(string)
  default     = ["postgresql", "upgrade"]

  validation {
    condition     = alltrue([for log in var.log_exports : contains(["postgresql", "upgrade"], log)]) && length(distinct(var.log_exports)) == length(var.log_exports)
    error_message = "log_exports must be a subset of postgresql, upgrade without repetitions."
  }
}

variable "log_retention_days" {
  description = "Days to keep the exported PostgreSQL logs in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 or 3653)."
  }
}

variable "secret_name" {
  description = "Name of the Secrets Manager secret holding the connection (engine, host, port, dbname, username, password) for the application, for example `tbyte/dev/database`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$", var.secret_name)) && length(var.secret_name) <= 256 && !can(regex("-[A-Za-z0-9]{6}$", var.secret_name))
    error_message = "secret_name must be up to 256 lowercase letters, digits, '.', '_', '-' in '/'-separated segments (for example tbyte/dev/database), and must not end with a hyphen and six characters (reads as a secret ARN suffix)."
  }
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted secret stays recoverable: 7 to 30, or 0 to delete at once (only for throw-away environments)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30 && floor(var.secret_recovery_window_in_days) == var.secret_recovery_window_in_days)
    error_message = "secret_recovery_window_in_days must be 0 or a whole number between 7 and 30."
  }
}

variable "parameters" {
  description = "Extra or overriding PostgreSQL parameters, by name: `value` and `apply_method` (`immediate`, default, or `pending-reboot` for static parameters). rds.force_ssl is always 1."
  type = map(object({
    value        = string
    apply_method = optional(string, "immediate")
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.parameters) : can(regex("^[a-z][a-z0-9_.]*$", name))])
    error_message = "parameters names must be lowercase PostgreSQL parameter names (letters, digits, '_' and '.')."
  }

  validation {
    condition     = alltrue([for parameter in values(var.parameters) : contains(["immediate", "pending-reboot"], parameter.apply_method)])
    error_message = "parameters apply_method must be immediate or pending-reboot."
  }

  validation {
    condition     = !contains(keys(var.parameters), "rds.force_ssl")
    error_message = "parameters must not set rds.force_ssl: the module always requires TLS (rds.force_ssl = 1)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as the permissions boundary of the Enhanced Monitoring role (the platform's role boundary, which the GitHub deploy role requires on every role it creates). Null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
