variable "namespace" {
  description = "Namespace of the repositories (`<namespace>/<service>`), for example `tbyte`; the KMS key alias is `<namespace>-ecr` unless key_alias names another."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+([._-][a-z0-9]+)*$", var.namespace)) && length(var.namespace) <= 64
    error_message = "namespace must be up to 64 lowercase letters and digits, separated by single '.', '_' or '-'."
  }
}

variable "key_alias" {
  description = "Alias (without `alias/`) of the module's KMS key; null for `<namespace>-ecr`. The platform names it `<name_prefix>-ecr` (terragrunt/_envcommon/ecr.hcl): the GitHub deploy role creates and manages only keys tagged and aliased under its prefix."
  type        = string
  default     = null

  validation {
    condition     = var.key_alias == null || (can(regex("^[A-Za-z0-9/_-]{1,250}$", coalesce(var.key_alias, "-"))) && !startswith(coalesce(var.key_alias, "-"), "aws/") && !startswith(coalesce(var.key_alias, "-"), "alias/"))
    error_message = "key_alias must be a KMS alias name without the alias/ prefix (letters, digits, /, _ and -; not under aws/)."
  }
}

variable "services" {
  description = "The services of the environment, one repository each (`<namespace>/<service>`), for example `[\"frontend\", \"api\", \"worker\"]`."
  type        = list(string)

  validation {
    condition     = length(var.services) > 0 && length(distinct(var.services)) == length(var.services)
    error_message = "services must list at least one service, without repetitions."
  }

  validation {
    condition     = alltrue([for service in var.services : can(regex("^[a-z0-9]+([._-][a-z0-9]+)*$", service)) && length(service) <= 128])
    error_message = "Each entry of services must be up to 128 lowercase letters and digits, separated by single '.', '_' or '-'."
  }
}

variable "keep_tagged_images" {
  description = "Tagged images kept per repository (the most recent); older ones expire."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_tagged_images >= 1 && var.keep_tagged_images <= 1000 && floor(var.keep_tagged_images) == var.keep_tagged_images
    error_message = "keep_tagged_images must be a whole number between 1 and 1000."
  }
}

variable "untagged_image_expiry_days" {
  description = "Days after its push an untagged image expires."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_image_expiry_days >= 1 && var.untagged_image_expiry_days <= 365 && floor(var.untagged_image_expiry_days) == var.untagged_image_expiry_days
    error_message = "untagged_image_expiry_days must be a whole number between 1 and 365."
  }
}

variable "push_principal_arns" {
  description = "IAM roles that may push images (the CI deploy role); every other principal is denied push. Empty: nobody can push."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.push_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Each entry of push_principal_arns must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "pull_principal_arns" {
  description = "IAM roles that may pull images (the EKS node role)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.pull_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Each entry of pull_principal_arns must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
