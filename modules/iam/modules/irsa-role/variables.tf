variable "name" {
  description = "Name of the IAM role (and of its policy)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and +=,.@_- (an IAM role name)."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider of the EKS cluster (the eks module's oidc_provider_arn output)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer of the cluster without https:// (oidc.eks.<region>.amazonaws.com/id/<id>, the eks module's oidc_issuer output); prefix of the trust policy's condition keys."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$", var.oidc_issuer))
    error_message = "oidc_issuer must be the issuer host and path without a scheme (for example oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLE)."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the service account."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a Kubernetes namespace name: at most 63 lowercase letters, digits and hyphens, starting and ending alphanumeric."
  }
}

variable "service_account" {
  description = "Name of the Kubernetes service account that may assume the role (exactly this one, no wildcard)."
  type        = string

  validation {
    condition     = length(var.service_account) <= 253 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", var.service_account))
    error_message = "service_account must be a Kubernetes service account name: lowercase letters, digits, hyphens and dots (DNS subdomain, at most 253 characters)."
  }
}

variable "policy_json" {
  description = "IAM policy document (JSON, for example an aws_iam_policy_document's json) with the role's permissions; null when managed_policy_arns give them all."
  type        = string
  default     = null

  validation {
    condition     = var.policy_json == null || can(jsondecode(coalesce(var.policy_json, "{}")).Statement)
    error_message = "policy_json must be a JSON IAM policy document with a Statement."
  }
}

variable "managed_policy_arns" {
  description = "Existing managed policies attached to the role, typically the AWS-managed policy AWS publishes for a controller (arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.managed_policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "Each entry of managed_policy_arns must be the ARN of an IAM policy (arn:aws:iam::aws:policy/<name>)."
  }
}

variable "policy_type" {
  description = "How policy_json is attached: `inline` (a role policy, removed with the role) or `managed` (a customer-managed policy named like the role, then attached)."
  type        = string
  default     = "inline"

  validation {
    condition     = contains(["inline", "managed"], var.policy_type)
    error_message = "policy_type must be inline or managed."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM policy to set as the role's permissions boundary. Null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, the role's credentials may last (3600 to 43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds between 3600 and 43200."
  }
}

variable "tags" {
  description = "Tags added to the role and its managed policy (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
