variable "alias" {
  description = "Alias of the key, without the `alias/` prefix (for example `tbyte-dev-flow-logs`)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias must be 1-250 letters, digits, slashes, underscores or hyphens, without the alias/ prefix and not under aws/."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string

  validation {
    condition     = length(var.description) > 0 && length(var.description) <= 8192
    error_message = "description must not be empty."
  }
}

variable "deletion_window_in_days" {
  description = "Days a deleted key can still be recovered."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "usage_policy_json" {
  description = "A policy document (JSON) with the statements that let the key's users use it; the account root's administration statement is always added."
  type        = string
  default     = null

  validation {
    condition     = var.usage_policy_json == null || can(jsondecode(var.usage_policy_json).Statement)
    error_message = "usage_policy_json must be a policy document with a Statement list."
  }
}

variable "cloudwatch_logs_arn_patterns" {
  description = "Log group ARNs (ArnLike patterns) whose logs CloudWatch Logs may encrypt with the key."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.cloudwatch_logs_arn_patterns : can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:.+$", arn))])
    error_message = "Each cloudwatch_logs_arn_patterns entry must be a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>)."
  }
}

variable "tags" {
  description = "Tags added to the key (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
