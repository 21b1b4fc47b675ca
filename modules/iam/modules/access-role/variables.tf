variable "name" {
  description = "Name of the IAM role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and +=,.@_- (an IAM role name)."
  }
}

variable "description" {
  description = "Description of the role (what its group may do)."
  type        = string
  default     = "Access group role of the platform's Kubernetes cluster."
}

variable "team" {
  description = "The team of the group (`platform` for the cluster levels): the value the session tag `team` must have, and the role's `team` tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.team))
    error_message = "team must be 2-20 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "members" {
  description = "IAM users or roles that may assume the role (exact ARNs: no wildcard, no account root)."
  type        = list(string)

  validation {
    condition     = length(var.members) > 0 && alltrue([for arn in var.members : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_/-]{1,200}$", arn))])
    error_message = "members must list at least one IAM user or role ARN (arn:aws:iam::<account>:user/<name> or :role/<name>), without wildcards."
  }
}

variable "require_mfa" {
  description = "Whether a member must have signed in with MFA (people). False only for CI roles, whose sessions carry no MFA."
  type        = bool
  default     = true
}

variable "max_session_hours" {
  description = "Longest session of the role, in hours (1-12)."
  type        = number
  default     = 1

  validation {
    condition     = var.max_session_hours >= 1 && var.max_session_hours <= 12 && floor(var.max_session_hours) == var.max_session_hours
    error_message = "max_session_hours must be a whole number from 1 to 12."
  }
}

variable "cluster_arn" {
  description = "ARN of the EKS cluster the role may describe (and is mapped into)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster/[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_arn))
    error_message = "cluster_arn must be an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the role (the platform's role boundary); null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to the role (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
