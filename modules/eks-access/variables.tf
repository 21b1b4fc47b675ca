variable "cluster_name" {
  description = "Name of the EKS cluster (the eks module's cluster_name output); its authentication mode must be API or API_AND_CONFIG_MAP."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: up to 100 letters, digits, hyphens and underscores, starting with a letter or digit."
  }
}

variable "access_entries" {
  description = "Access entries by group key: the group's IAM role (principal_arn), its Kubernetes groups, and optionally an EKS access policy with the namespaces it is scoped to (none: the whole cluster)."
  type = map(object({
    principal_arn     = string
    kubernetes_groups = list(string)
    access_policy = optional(object({
      name       = string
      namespaces = list(string)
    }))
  }))

  validation {
    condition     = alltrue([for entry in values(var.access_entries) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,200}$", entry.principal_arn))])
    error_message = "Each principal_arn must be an IAM role ARN (the access group's role)."
  }

  validation {
    condition     = length(distinct([for entry in values(var.access_entries) : entry.principal_arn])) == length(var.access_entries)
    error_message = "A principal can have one access entry only: each entry needs its own principal_arn."
  }

  validation {
    condition     = alltrue([for entry in values(var.access_entries) : length(entry.kubernetes_groups) > 0 && alltrue([for group in entry.kubernetes_groups : can(regex("^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$", group)) && !can(regex("^(system|eks|aws|amazon|iam):", group))])])
    error_message = "Each entry needs Kubernetes groups, none of them starting with system:, eks:, aws:, amazon: or iam: (EKS refuses those)."
  }

  validation {
    condition     = alltrue([for entry in values(var.access_entries) : entry.access_policy == null || contains(["AmazonEKSViewPolicy", "AmazonEKSClusterAdminPolicy"], try(entry.access_policy.name, ""))])
    error_message = "access_policy.name must be AmazonEKSViewPolicy or AmazonEKSClusterAdminPolicy: the access policies the platform transcribes into its RBAC (tbyte/tenancy/access_policies.py)."
  }

  validation {
    condition     = alltrue([for entry in values(var.access_entries) : entry.access_policy == null || (try(entry.access_policy.name, "") == "AmazonEKSClusterAdminPolicy") == (length(try(entry.access_policy.namespaces, [])) == 0)])
    error_message = "AmazonEKSClusterAdminPolicy is associated cluster-wide and only cluster-wide; AmazonEKSViewPolicy only with the group's namespaces."
  }
}

variable "tags" {
  description = "Tags added to every access entry (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
