variable "name_prefix" {
  description = "Prefix of the platform's resource names (for example `tbyte-dev`): the roles are `<name_prefix>-github-pr`, `-github-plan`, `-github-drift` and `-github-deploy`, the boundary `<name_prefix>-role-boundary`, and the deploy role may manage only IAM roles, policies, keys, clusters, databases and log groups named after it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "repository" {
  description = "The one GitHub repository, as `<org>/<repo>`, whose workflows may assume the roles."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}/[A-Za-z0-9._-]{1,100}$", var.repository)) && !contains([".", ".."], try(split("/", var.repository)[1], ""))
    error_message = "repository must be <org>/<repo> (for example tbyte/platform): an organisation of letters, digits and single hyphens and a repository of letters, digits, dots, hyphens and underscores."
  }
}

variable "branches" {
  description = "Branches whose workflow runs may assume the read-only plan and drift roles (`repo:<org>/<repo>:ref:refs/heads/<branch>`); at least one, no wildcards. No branch can assume the deploy role."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = length(var.branches) > 0
    error_message = "branches must list at least one branch the plan and drift roles trust."
  }

  validation {
    condition     = alltrue([for branch in var.branches : can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$", branch)) && !startswith(branch, "refs/")])
    error_message = "Each entry of branches must be a branch name such as main or release/1.x (no refs/heads/ prefix, no spaces or wildcards)."
  }
}

variable "environments" {
  description = "GitHub environments whose jobs may assume the deploy role (`repo:<org>/<repo>:environment:<env>`), the only subjects it trusts; at least one. Protect them with required reviewers and restrict their deployment branches to the trusted branches (docs/ci.md)."
  type        = list(string)

  validation {
    condition     = length(var.environments) > 0
    error_message = "environments must list at least one GitHub environment: the deploy role trusts nothing else."
  }

  validation {
    condition     = alltrue([for environment in var.environments : can(regex("^[A-Za-z0-9._-]{1,255}$", environment))])
    error_message = "Each entry of environments must be a GitHub environment name of letters, digits, dots, hyphens and underscores (no spaces or wildcards)."
  }
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider (token.actions.githubusercontent.com). There is one per account: set false and pass oidc_provider_arn where another stack or environment already created it."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of the existing GitHub Actions OIDC provider, when create_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", coalesce(var.oidc_provider_arn, "-")))
    error_message = "oidc_provider_arn must be the ARN of the GitHub Actions OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)."
  }
}

variable "thumbprints" {
  description = "SHA-1 thumbprints of the certificate chain of token.actions.githubusercontent.com. AWS now validates GitHub's certificate against its own trusted CAs, but the API still requires a value; the defaults are the two GitHub published in June 2023."
  type        = list(string)
  default     = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]

  validation {
    condition     = length(var.thumbprints) >= 1 && length(var.thumbprints) <= 5 && alltrue([for thumbprint in var.thumbprints : can(regex("^[0-9A-Fa-f]{40}$", thumbprint))])
    error_message = "thumbprints must list 1 to 5 SHA-1 thumbprints of 40 hexadecimal characters."
  }
}

variable "state_bucket_name" {
  description = "S3 bucket of the Terraform state: the plan and drift roles read it, only the deploy role writes it (state and `*.tflock` lock files), the pull-request role may not read its objects."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state objects in the bucket (for example `dev/`); the roles reach only keys under it. Empty for the whole bucket."
  type        = string
  default     = ""

  validation {
    condition     = var.state_key_prefix == "" || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", var.state_key_prefix))
    error_message = "state_key_prefix must be empty or a key prefix ending with / (for example dev/)."
  }
}

variable "state_kms_key_alias" {
  description = "Alias (`alias/<name>`) of the customer-managed KMS key that encrypts the state objects (SSE-KMS). The plan and drift roles may decrypt with it, the deploy role also encrypt, each only through S3 (`kms:ViaService`); the pull-request role never. Null when the bucket uses SSE-S3 (the local emulator)."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_alias == null || (can(regex("^alias/[A-Za-z0-9/_-]+$", coalesce(var.state_kms_key_alias, "-"))) && !startswith(coalesce(var.state_kms_key_alias, "-"), "alias/aws/"))
    error_message = "state_kms_key_alias must be a customer-managed key alias such as alias/tbyte-terraform-state (not an ARN, not under alias/aws/)."
  }
}

variable "secrets_prefix" {
  description = "Name prefix of the platform's Secrets Manager secrets (for example `tbyte/dev/`); the deploy role may manage only secrets under it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]+/$", var.secrets_prefix))
    error_message = "secrets_prefix must be a Secrets Manager name prefix ending with / (for example tbyte/dev/)."
  }
}

variable "ecr_repository_names" {
  description = "The platform's ECR repositories (`tbyte/<service>`): the deploy role manages them (the ecr stack: create, delete, policy, lifecycle, tags, scanning) and pushes images to them (the release). Empty grants no ECR access."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for repository in var.ecr_repository_names : can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", repository)) && length(repository) <= 256])
    error_message = "Each entry of ecr_repository_names must be an ECR repository name (lowercase letters, digits, and . _ - / separators)."
  }
}

variable "copy_regions" {
  description = "Regions besides the provider's where the deploy role manages the platform's KMS keys (same tag and alias rules) and AWS Backup vaults named after `name_prefix`: the backup stack's copy region (prod's disaster-recovery copy). Empty: this region only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for region in var.copy_regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", region))])
    error_message = "Each entry of copy_regions must be an AWS region such as eu-west-1."
  }
}

variable "domain_name" {
  description = "The environment's domain (the edge stack's certificate and records). Null: the deploy role gets no ACM or Route53 access at all. Otherwise it may request DNS-validated certificates for this domain and its subdomains only, and write A and CNAME records of those names."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.domain_name, "-")))
    error_message = "domain_name must be a lowercase DNS name such as dev.tbyte.example.com (no wildcard, no trailing dot)."
  }
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone of domain_name: the only zone whose records the deploy role may change. Null with a domain: any zone of the account, still only records of the domain's names and of types A and CNAME."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", coalesce(var.hosted_zone_id, "-")))
    error_message = "hosted_zone_id must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ (not an ARN, no /hostedzone/ prefix)."
  }
}

variable "state_secret_names" {
  description = "Names (without the random suffix) of the Secrets Manager secrets whose values Terraform manages (aws_secretsmanager_secret_version), for example `tbyte/dev/database`. A plan refreshes them with GetSecretValue, so the plan and drift roles may read exactly these (their values are in the state those roles decrypt anyway) and no other secret value; the pull-request role none."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.state_secret_names : can(regex("^[A-Za-z0-9/_+=.@!-]{1,512}$", name)) && !endswith(name, "/")])
    error_message = "Each entry of state_secret_names must be a Secrets Manager secret name (not an ARN, no wildcard)."
  }
}

variable "metric_filter_log_groups" {
  description = "Log groups outside the platform's prefix whose metric filters the deploy role manages: the account's CloudTrail log group, where the iam stack's break-glass alarm counts the role's AssumeRole calls."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.metric_filter_log_groups : can(regex("^[A-Za-z0-9._/#-]{1,512}$", name))])
    error_message = "Each entry of metric_filter_log_groups must be a CloudWatch Logs log group name (no wildcard)."
  }
}

variable "attachable_policy_arns" {
  description = "Managed policies (ARN patterns, `*` allowed) the deploy role may attach to roles under the prefix, besides the EKS, ECR read-only, SSM core, RDS monitoring and AWS Backup service-role policies the platform's modules attach and the account's own policies under the prefix."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.attachable_policy_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", arn))])
    error_message = "Each entry of attachable_policy_arns must be an IAM policy ARN (pattern), such as arn:aws:iam::aws:policy/AmazonEKS*."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM policy to set as the permissions boundary of the four CI roles themselves (for example an organisation-wide one). Null sets none. Not to be confused with the role boundary this module creates for the roles the deploy role manages."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, a workflow's credentials may last (3600 to 43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds between 3600 and 43200."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
