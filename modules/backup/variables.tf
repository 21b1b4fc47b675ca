variable "name" {
  description = "Name of the vault and the plan, and prefix of every resource of the module (for example `tbyte-prod`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,42}[a-z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "name must be 3-44 characters of lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "environment" {
  description = "Environment of the backups: local, dev, stage or prod (prod must copy them to a second region)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "stage", "prod"], var.environment)
    error_message = "environment must be one of local, dev, stage, prod."
  }
}

variable "resource_arns" {
  description = "ARNs of the resources to back up: RDS DB instances or clusters (ElastiCache is not an AWS Backup resource; it keeps its own snapshots, see README)."
  type        = list(string)

  validation {
    condition     = length(var.resource_arns) > 0 && length(distinct(var.resource_arns)) == length(var.resource_arns)
    error_message = "resource_arns must list at least one resource, without repetitions."
  }

  validation {
    condition     = alltrue([for arn in var.resource_arns : can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:(db|cluster):[a-z][a-z0-9-]*$", arn))])
    error_message = "Each entry of resource_arns must be the ARN of an RDS DB instance or cluster (arn:aws:rds:<region>:<account>:db:<identifier>)."
  }
}

variable "rule_name" {
  description = "Name of the plan's rule after the plan name (`<name>-<rule_name>`), for example `daily`."
  type        = string
  default     = "daily"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,31}$", var.rule_name))
    error_message = "rule_name must be up to 32 lowercase letters, digits and hyphens."
  }
}

variable "schedule" {
  description = "When backups start, a CloudWatch Events cron expression in UTC (default: daily at 03:00)."
  type        = string
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)$", var.schedule))
    error_message = "schedule must be a cron expression with six fields, for example cron(0 3 * * ? *)."
  }
}

variable "start_window_minutes" {
  description = "Minutes after the scheduled time within which a backup must start (at least 60)."
  type        = number
  default     = 60

  validation {
    condition     = var.start_window_minutes >= 60 && floor(var.start_window_minutes) == var.start_window_minutes
    error_message = "start_window_minutes must be a whole number of at least 60."
  }
}

variable "completion_window_minutes" {
  description = "Minutes after the scheduled time within which a backup must complete (at least 60 more than the start window)."
  type        = number
  default     = 360

  validation {
    condition     = var.completion_window_minutes >= 120 && floor(var.completion_window_minutes) == var.completion_window_minutes
    error_message = "completion_window_minutes must be a whole number of at least 120."
  }
}

variable "retention_days" {
  description = "Days a recovery point is kept in the vault."
  type        = number

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 36500 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of days between 1 and 36500."
  }
}

variable "copy_region" {
  description = "Second region every recovery point is copied to (disaster recovery; required in prod), served by the aws.copy provider. Null copies nothing."
  type        = string
  default     = null

  validation {
    condition     = var.copy_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", coalesce(var.copy_region, "-")))
    error_message = "copy_region must be an AWS region such as eu-west-1."
  }
}

variable "copy_retention_days" {
  description = "Days a copy is kept in the copy region's vault."
  type        = number
  default     = 35

  validation {
    condition     = var.copy_retention_days >= 1 && var.copy_retention_days <= 36500 && floor(var.copy_retention_days) == var.copy_retention_days
    error_message = "copy_retention_days must be a whole number of days between 1 and 36500."
  }
}

variable "protect_recovery_points" {
  description = "Deny everyone, administrators included, deleting recovery points or changing their lifecycle through the API (vault access policy); they expire by their lifecycle only."
  type        = bool
  default     = true
}

variable "notifications" {
  description = "Where failed jobs are told: the SNS topic (the observability stack's alarm topic) and the vault events sent to it (default: failed backup, copy and restore jobs, expired backups). Null sends nothing."
  type = object({
    topic_arn = string
    events    = optional(list(string), ["BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED", "COPY_JOB_FAILED", "RESTORE_JOB_FAILED"])
  })
  default = null

  validation {
    condition     = var.notifications == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", try(var.notifications.topic_arn, "")))
    error_message = "notifications.topic_arn must be an SNS topic ARN."
  }

  validation {
    condition = var.notifications == null || try(length(var.notifications.events) > 0 && alltrue([for event in var.notifications.events : contains([
      "BACKUP_JOB_STARTED", "BACKUP_JOB_COMPLETED", "BACKUP_JOB_SUCCESSFUL", "BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED",
      "RESTORE_JOB_STARTED", "RESTORE_JOB_COMPLETED", "RESTORE_JOB_SUCCESSFUL", "RESTORE_JOB_FAILED",
      "COPY_JOB_STARTED", "COPY_JOB_SUCCESSFUL", "COPY_JOB_FAILED", "RECOVERY_POINT_MODIFIED",
      "BACKUP_PLAN_CREATED", "BACKUP_PLAN_MODIFIED",
    ], event)]), false)
    error_message = "notifications.events must list AWS Backup vault events such as BACKUP_JOB_FAILED or COPY_JOB_FAILED."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as the permissions boundary of the AWS Backup role (the platform's role boundary, which the GitHub deploy role requires on every role it creates). Null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags added to every resource and to the recovery points (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
