variable "name_prefix" {
  description = "Prefix of the role names, usually the environment's cluster name (for example `tbyte-dev`): `<name_prefix>-alb-controller`, `-external-secrets`, `-app`, and with enable_github `-github-pr`, `-github-plan`, `-github-drift`, `-github-deploy` and the boundary `<name_prefix>-role-boundary`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster the roles serve (the eks module's cluster_name output); null means name_prefix. The AWS Load Balancer Controller may change ingress rules of that cluster's own security group (tagged aws:eks:cluster-name by EKS) besides its own groups."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_name == null || can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", coalesce(var.cluster_name, "-")))
    error_message = "cluster_name must be an EKS cluster name: up to 100 letters, digits, hyphens and underscores, starting with a letter or digit."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (the eks module's oidc_provider_arn output)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer>)."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer of the cluster without https:// (the eks module's oidc_issuer output), the prefix of the IRSA trust conditions."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$", var.oidc_issuer))
    error_message = "oidc_issuer must be the issuer host and path without a scheme (for example oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLE)."
  }
}

variable "secrets_prefix" {
  description = "Name prefix of the environment's Secrets Manager secrets (for example `tbyte/dev/`): External Secrets reads only secrets under it, the GitHub deploy role manages only those."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+$", var.secrets_prefix)) && endswith(var.secrets_prefix, "/")
    error_message = "secrets_prefix must be a Secrets Manager name prefix ending with / (for example tbyte/dev/), so that tbyte/dev does not also match tbyte/dev-old."
  }
}

variable "database_secret_name" {
  description = "Name (not ARN, without the random suffix) of the Secrets Manager secret with the application's database credentials; the application role may read only this secret."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@!-]{1,512}$", var.database_secret_name)) && !endswith(var.database_secret_name, "/")
    error_message = "database_secret_name must be a Secrets Manager secret name (letters, digits and /_+=.@!-, not an ARN, not ending with /)."
  }
}

variable "secrets_kms_key_arns" {
  description = "KMS keys that encrypt the secrets. Empty allows decryption with any key of the account and region, still only through Secrets Manager and only for the allowed secrets (encryption-context condition)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.secrets_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "Each entry of secrets_kms_key_arns must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "service_accounts" {
  description = "Kubernetes service accounts bound to the roles: `alb_controller` (default kube-system/aws-load-balancer-controller), `external_secrets` (external-secrets/external-secrets) and `app` (tbyte/api); omitted fields keep their defaults."
  type = object({
    alb_controller = optional(object({
      namespace = optional(string, "kube-system")
      name      = optional(string, "aws-load-balancer-controller")
    }), {})
    external_secrets = optional(object({
      namespace = optional(string, "external-secrets")
      name      = optional(string, "external-secrets")
    }), {})
    app = optional(object({
      namespace = optional(string, "tbyte")
      name      = optional(string, "api")
    }), {})
  })
  default = {}

  validation {
    condition     = alltrue([for binding in values(var.service_accounts) : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", binding.namespace))])
    error_message = "Each service_accounts namespace must be a Kubernetes namespace name: at most 63 lowercase letters, digits and hyphens, starting and ending alphanumeric."
  }

  validation {
    condition     = alltrue([for binding in values(var.service_accounts) : length(binding.name) <= 253 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", binding.name))])
    error_message = "Each service_accounts name must be a Kubernetes service account name: lowercase letters, digits, hyphens and dots (DNS subdomain, at most 253 characters)."
  }
}

variable "addon_roles" {
  description = "IRSA roles of the platform's other add-ons, from the add-on catalogue (platform/addons/<name>.yaml, `irsa`, passed by terragrunt/_envcommon/iam.hcl), by add-on name: the one service account the role trusts and the policy of this module it holds (`cluster_autoscaler`, `grafana_cloudwatch`). The roles are named `<name_prefix>-<add-on>`."
  type = map(object({
    namespace       = string
    service_account = string
    policy          = string
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.addon_roles) : can(regex("^[a-z0-9][a-z0-9-]{0,30}$", name))])
    error_message = "addon_roles keys must be add-on names: lowercase letters, digits and hyphens, at most 31 characters."
  }

  validation {
    condition     = alltrue([for role in values(var.addon_roles) : contains(["cluster_autoscaler", "grafana_cloudwatch"], role.policy)])
    error_message = "addon_roles policy must be one of this module's add-on policies: cluster_autoscaler, grafana_cloudwatch."
  }

  validation {
    condition     = alltrue([for role in values(var.addon_roles) : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", role.namespace)) && can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", role.service_account))])
    error_message = "addon_roles namespace and service_account must be Kubernetes names (lowercase letters, digits, hyphens; dots in service account names)."
  }
}

variable "enable_github" {
  description = "Create the GitHub Actions OIDC roles of github_repository (pull-request, plan, drift, deploy) and the permissions boundary of the roles the deploy role manages (modules/github-oidc)."
  type        = bool
  default     = false
}

variable "github_repository" {
  description = "The one GitHub repository (`<org>/<repo>`) whose workflows may assume the GitHub roles. Required with enable_github."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || (can(regex("^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}/[A-Za-z0-9._-]{1,100}$", coalesce(var.github_repository, "-"))) && !contains([".", ".."], try(split("/", var.github_repository)[1], "")))
    error_message = "github_repository must be <org>/<repo> (for example tbyte/platform): an organisation of letters, digits and single hyphens and a repository of letters, digits, dots, hyphens and underscores."
  }
}

variable "github_branches" {
  description = "Branches whose workflow runs may assume the read-only plan and drift roles; at least one, exact names (no wildcards). No branch reaches the deploy role."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = length(var.github_branches) > 0
    error_message = "github_branches must list at least one branch the plan and drift roles trust."
  }

  validation {
    condition     = alltrue([for branch in var.github_branches : can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", branch)) && !startswith(branch, "refs/")])
    error_message = "Each entry of github_branches must be a branch name such as main or release/1.x (no refs/heads/ prefix, no spaces or wildcards)."
  }
}

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the deploy role, the only subjects it trusts (at least one with enable_github). Protect them with required reviewers and restrict their deployment branches (docs/ci.md)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for environment in var.github_environments : can(regex("^[A-Za-z0-9._-]{1,255}$", environment))])
    error_message = "Each entry of github_environments must be a GitHub environment name of letters, digits, dots, hyphens and underscores (no spaces or wildcards)."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider. One per account: set false in the other environments of the same account and pass github_oidc_provider_arn."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's existing GitHub Actions OIDC provider, when create_github_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.github_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", coalesce(var.github_oidc_provider_arn, "-")))
    error_message = "github_oidc_provider_arn must be the ARN of the GitHub Actions OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)."
  }
}

variable "state_bucket_name" {
  description = "S3 bucket of the Terraform state, for the GitHub roles. Required with enable_github."
  type        = string
  default     = null

  validation {
    condition     = var.state_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.state_bucket_name, "-")))
    error_message = "state_bucket_name must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state in the bucket (Terragrunt's `<environment>/`); the GitHub roles reach only keys under it. Empty for the whole bucket."
  type        = string
  default     = ""

  validation {
    condition     = var.state_key_prefix == "" || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", var.state_key_prefix))
    error_message = "state_key_prefix must be empty or a key prefix ending with / (for example dev/)."
  }
}

variable "state_kms_key_alias" {
  description = "Alias (`alias/<name>`) of the customer-managed KMS key of the state bucket, for the GitHub roles (plan and drift decrypt, deploy also encrypts, only through S3). Null when the bucket uses SSE-S3 (the local emulator)."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_alias == null || (can(regex("^alias/[A-Za-z0-9/_-]+$", coalesce(var.state_kms_key_alias, "-"))) && !startswith(coalesce(var.state_kms_key_alias, "-"), "alias/aws/"))
    error_message = "state_kms_key_alias must be a customer-managed key alias such as alias/tbyte-terraform-state (not an ARN, not under alias/aws/)."
  }
}

variable "github_ecr_repositories" {
  description = "ECR repositories the deploy role may push the CI image to. Empty grants no ECR access."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for repository in var.github_ecr_repositories : can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", repository)) && length(repository) <= 256])
    error_message = "Each entry of github_ecr_repositories must be an ECR repository name (lowercase letters, digits, and . _ - / separators)."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the IRSA roles. With enable_github they always carry the boundary the GitHub module creates (`arn:aws:iam::<account>:policy/<name_prefix>-role-boundary`, the one the deploy role requires), and this must be null or that ARN; without it, null sets none."
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
