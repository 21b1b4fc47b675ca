variable "name" {
  description = "ID of the replication group and prefix of every resource of the module (for example `tbyte-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,33}[a-z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "name must be 2-35 characters of lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (ElastiCache appends -001 and the like to member clusters, whose IDs are limited to 40)."
  }
}

variable "environment" {
  description = "Environment the cache belongs to: local, dev, stage or prod (prod enforces replicas, automatic failover, Multi-AZ, a final snapshot and 7 days of snapshots)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "stage", "prod"], var.environment)
    error_message = "environment must be one of local, dev, stage, prod."
  }
}

variable "engine_version" {
  description = "Redis OSS version: `6.x` (AWS runs and upgrades the newest 6.2). Redis 7 and Valkey need a newer provider, see README."
  type        = string
  default     = "6.x"

  validation {
    condition     = var.engine_version == "6.x"
    error_message = "engine_version must be 6.x, the only Redis 6+ version provider 3.x accepts (Redis 7 and Valkey need a newer provider, see README)."
  }
}

variable "node_type" {
  description = "Cache node type (for example `cache.t4g.micro` for dev, `cache.r7g.large` for prod)."
  type        = string

  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must look like cache.<family>.<size>, for example cache.t4g.micro."
  }
}

variable "number_cache_clusters" {
  description = "Nodes of the (single) shard: one primary and number_cache_clusters - 1 read replicas, 1 to 6. At least 2 for automatic failover."
  type        = number
  default     = 1

  validation {
    condition     = var.number_cache_clusters >= 1 && var.number_cache_clusters <= 6 && floor(var.number_cache_clusters) == var.number_cache_clusters
    error_message = "number_cache_clusters must be a whole number between 1 and 6."
  }
}

variable "automatic_failover_enabled" {
  description = "Promote a replica when the primary fails (needs number_cache_clusters >= 2; required in prod)."
  type        = bool
  default     = false
}

variable "multi_az_enabled" {
  description = "Place the replicas in other availability zones than the primary and fail over across zones (needs automatic failover; required in prod)."
  type        = bool
  default     = false
}

variable "port" {
  description = "Port Redis listens on."
  type        = number
  default     = 6379

  validation {
    condition     = var.port >= 1024 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be a whole number between 1024 and 65535."
  }
}

variable "vpc_id" {
  description = "ID of the VPC of the cache subnets (the security group is created in it)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private (or isolated database) subnets of the cache subnet group, in different availability zones; at least 2 for Multi-AZ."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1 && length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must list at least one subnet, without repetitions."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of subnet_ids must be a subnet ID such as subnet-0123456789abcdef0."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (the EKS nodes') whose members may connect to the Redis port; nothing else can reach the cache."
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

variable "parameters" {
  description = "Extra or overriding Redis parameters of the module's parameter group, by name (for example `maxmemory-policy = \"allkeys-lru\"`). The slow log is tuned by default (10 ms, 128 entries)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.parameters) : can(regex("^[a-z][a-z0-9-]*$", name))])
    error_message = "parameters names must be Redis parameter names (lowercase letters, digits and hyphens)."
  }

  validation {
    condition     = !contains(keys(var.parameters), "cluster-enabled")
    error_message = "parameters must not set cluster-enabled: the module runs one shard (cluster mode disabled)."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC with lowercase days, at least 60 minutes, not overlapping the snapshot window."
  type        = string
  default     = "sun:05:00-sun:06:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC with lowercase days, for example sun:05:00-sun:06:00."
  }

  validation {
    condition = try((
      (index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], substr(var.maintenance_window, 10, 3)) * 1440 + tonumber(substr(var.maintenance_window, 14, 2)) * 60 + tonumber(substr(var.maintenance_window, 17, 2))) -
      (index(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], substr(var.maintenance_window, 0, 3)) * 1440 + tonumber(substr(var.maintenance_window, 4, 2)) * 60 + tonumber(substr(var.maintenance_window, 7, 2))) + 10080
    ) % 10080 >= 60, true)
    error_message = "maintenance_window must last at least 60 minutes."
  }
}

variable "snapshot_window" {
  description = "Daily snapshot window, `hh24:mi-hh24:mi` in UTC, at least 60 minutes, not overlapping the maintenance window."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.snapshot_window))
    error_message = "snapshot_window must be hh24:mi-hh24:mi in UTC, for example 03:00-04:00."
  }

  validation {
    condition = try((
      (tonumber(substr(var.snapshot_window, 6, 2)) * 60 + tonumber(substr(var.snapshot_window, 9, 2))) -
      (tonumber(substr(var.snapshot_window, 0, 2)) * 60 + tonumber(substr(var.snapshot_window, 3, 2))) + 1440
    ) % 1440 >= 60, true)
    error_message = "snapshot_window must last at least 60 minutes."
  }
}

variable "snapshot_retention_limit" {
  description = "Days of automatic snapshots kept (0 to 35; 0 takes none). At least 7 in prod."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_limit >= 0 && var.snapshot_retention_limit <= 35 && floor(var.snapshot_retention_limit) == var.snapshot_retention_limit
    error_message = "snapshot_retention_limit must be a whole number of days between 0 and 35."
  }
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot. When false, deletion leaves the snapshot `<name>-final` (required in prod)."
  type        = bool
  default     = false
}

variable "apply_immediately" {
  description = "Apply changes at once instead of in the next maintenance window (node type, engine version and the like)."
  type        = bool
  default     = false
}

variable "log_types" {
  description = "Redis logs given a KMS-encrypted, expiring log group (a subset of slow-log and engine-log); see README on their delivery."
  type        = list(string)
  default     = ["slow-log", "engine-log"]

  validation {
    condition     = alltrue([for log in var.log_types : contains(["slow-log", "engine-log"], log)]) && length(distinct(var.log_types)) == length(var.log_types)
    error_message = "log_types must be a subset of slow-log, engine-log without repetitions."
  }
}

variable "log_retention_days" {
  description = "Days to keep the Redis logs in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 or 3653)."
  }
}

variable "secret_name" {
  description = "Name of the Secrets Manager secret holding the connection (endpoints, port, TLS, AUTH token) for the application, for example `tbyte/dev/redis`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$", var.secret_name)) && length(var.secret_name) <= 256 && !can(regex("-[A-Za-z0-9]{6}$", var.secret_name))
    error_message = "secret_name must be up to 256 lowercase letters, digits, '.', '_', '-' in '/'-separated segments (for example tbyte/dev/redis), and must not end with a hyphen and six characters (reads as a secret ARN suffix)."
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

variable "secret_reader_roles" {
  description = "IAM roles (by a label known at plan time, for example `app`, to the role name) that may read the connection secret: GetSecretValue on it and kms:Decrypt through Secrets Manager for it, nothing else."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in values(var.secret_reader_roles) : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", name))])
    error_message = "Each value of secret_reader_roles must be an IAM role name (not an ARN): up to 64 letters, digits and +=,.@_-."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
