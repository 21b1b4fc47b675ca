variable "name" {
  description = "Name of the EKS cluster (for example `tbyte-dev`); also the prefix of its KMS keys, log group, security group and role."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment the cluster belongs to: local, dev, stage or prod. prod refuses a public API endpoint."
  type        = string

  validation {
    condition     = contains(["local", "dev", "stage", "prod"], var.environment)
    error_message = "environment must be one of local, dev, stage, prod."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane: one that addon_versions.tf pins the add-ons for, 1.34 or 1.35 (EKS standard support: 1.34 until 2026-12-02, 1.35 until 2027-03-27). An existing cluster moves one minor version at a time."
  type        = string
  default     = "1.35"

  validation {
    condition     = can(regex("^1\\.3[45]$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.34 or 1.35, the Kubernetes minor versions modules/eks/addon_versions.tf pins the add-ons for."
  }
}

variable "vpc_id" {
  description = "ID of the VPC of the cluster (the additional security group is created in it)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC: the only destination the additional security group lets the control plane reach (kubelets and webhooks)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.vpc_cidr))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block (for example 10.20.0.0/16)."
  }
}

variable "subnet_ids" {
  description = "Private subnets, in at least two availability zones, for the control plane's network interfaces."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must list at least 2 distinct private subnet IDs (EKS needs subnets in two availability zones)."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of subnet_ids must be a subnet ID such as subnet-0123456789abcdef0."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API also gets a public endpoint (limited to public_access_cidrs). The private endpoint is always on; prod refuses true."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "IPv4 CIDRs that may reach the public endpoint; required when endpoint_public_access is true, ignored otherwise. 0.0.0.0/0 is refused."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "Every entry of public_access_cidrs must be a valid IPv4 CIDR block (for example 203.0.113.0/24)."
  }

  validation {
    condition     = !anytrue([for c in var.public_access_cidrs : endswith(c, "/0")])
    error_message = "public_access_cidrs must not contain 0.0.0.0/0 (or any /0): list the networks that may reach the public endpoint."
  }
}

variable "api_ingress_cidrs" {
  description = "IPv4 CIDRs (VPN, bastion or CI networks inside or peered with the VPC) allowed to reach the private API endpoint on 443 through the additional security group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.api_ingress_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "Every entry of api_ingress_cidrs must be a valid IPv4 CIDR block (for example 10.20.0.0/16)."
  }

  validation {
    condition     = !anytrue([for c in var.api_ingress_cidrs : endswith(c, "/0")])
    error_message = "api_ingress_cidrs must not contain 0.0.0.0/0 (or any /0): list the networks that may reach the API."
  }
}

variable "api_ingress_security_group_ids" {
  description = "Security groups (nodes, bastions, runners) allowed to reach the private API endpoint on 443 through the additional security group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.api_ingress_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of api_ingress_security_group_ids must be a security group ID such as sg-0123456789abcdef0."
  }
}

variable "service_ipv4_cidr" {
  description = "CIDR Kubernetes assigns service IPs from (a /12 to /24 in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 not overlapping the VPC). Null lets EKS choose 10.100.0.0/16 or 172.20.0.0/16."
  type        = string
  default     = null

  validation {
    condition = var.service_ipv4_cidr == null || (
      can(cidrhost(var.service_ipv4_cidr, 0)) &&
      tonumber(try(split("/", var.service_ipv4_cidr)[1], "0")) >= 12 &&
      tonumber(try(split("/", var.service_ipv4_cidr)[1], "0")) <= 24
    )
    error_message = "service_ipv4_cidr must be a valid IPv4 CIDR block with a prefix length between /12 and /24."
  }
}

variable "enabled_log_types" {
  description = "Control-plane log types sent to CloudWatch Logs: any of api, audit, authenticator, controllerManager, scheduler."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.enabled_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)]) && length(distinct(var.enabled_log_types)) == length(var.enabled_log_types)
    error_message = "enabled_log_types must be distinct entries of api, audit, authenticator, controllerManager, scheduler."
  }
}

variable "log_retention_days" {
  description = "Days to keep the control-plane logs in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_deletion_window_days" {
  description = "Days a deleted KMS key of the module (secrets, logs) waits before it is gone for good."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30 && floor(var.kms_deletion_window_days) == var.kms_deletion_window_days
    error_message = "kms_deletion_window_days must be a whole number of days between 7 and 30."
  }
}

variable "oidc_thumbprints" {
  description = "SHA-1 thumbprints of the OIDC issuer's root CA for the IRSA identity provider. AWS no longer checks them for EKS issuers (it trusts its own CA library), but IAM still requires one."
  type        = list(string)
  default     = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]

  validation {
    condition     = length(var.oidc_thumbprints) >= 1 && length(var.oidc_thumbprints) <= 5 && alltrue([for t in var.oidc_thumbprints : can(regex("^[0-9a-fA-F]{40}$", t))])
    error_message = "oidc_thumbprints must list 1 to 5 SHA-1 thumbprints of 40 hexadecimal characters."
  }
}

variable "addons" {
  description = "EKS managed add-ons by name. `version` null takes the one addon_versions.tf pins for kubernetes_version; `service_account_role_arn` null gives aws-ebs-csi-driver, vpc-cni and amazon-cloudwatch-observability the module's own IRSA role; `configuration_values` (JSON) is merged over the module's configuration (vpc-cni: network-policy enforcement) and sent where the provider supports it (README, Provider range). `{}` installs none."
  type = map(object({
    version                  = optional(string)
    service_account_role_arn = optional(string)
    configuration_values     = optional(string)
  }))
  default = {
    vpc-cni                         = {}
    coredns                         = {}
    kube-proxy                      = {}
    aws-ebs-csi-driver              = {}
    eks-pod-identity-agent          = {}
    amazon-cloudwatch-observability = {}
  }

  validation {
    condition     = alltrue([for name in keys(var.addons) : can(regex("^[a-z0-9][a-z0-9-]*$", name))])
    error_message = "addons keys must be EKS add-on names such as vpc-cni or aws-ebs-csi-driver."
  }

  validation {
    condition     = alltrue([for addon in values(var.addons) : addon.version == null || can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", coalesce(addon.version, "-")))])
    error_message = "addons version must be an EKS add-on version such as v1.19.2-eksbuild.1 (or null for the pinned one)."
  }

  validation {
    condition     = alltrue([for addon in values(var.addons) : addon.service_account_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", coalesce(addon.service_account_role_arn, "-")))])
    error_message = "addons service_account_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = alltrue([for addon in values(var.addons) : addon.configuration_values == null || can(keys(jsondecode(coalesce(addon.configuration_values, "{}"))))])
    error_message = "addons configuration_values must be a JSON object (the add-on's configuration schema: aws eks describe-addon-configuration)."
  }
}

variable "cluster_role_permissions_boundary_arn" {
  description = "ARN of an IAM policy set as the permissions boundary of the cluster role and of the add-ons' IRSA roles (the platform's role boundary, which the GitHub deploy role requires on every role it creates). Null sets none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
