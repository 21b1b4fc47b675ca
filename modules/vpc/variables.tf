variable "name" {
  description = "Name prefix of every resource of the VPC (for example `tbyte-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC, /16 to /20."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(try(split("/", var.cidr)[1], "0")) >= 16 && tonumber(try(split("/", var.cidr)[1], "0")) <= 20
    error_message = "cidr must be a valid IPv4 CIDR block with a prefix length between /16 and /20 (for example 10.0.0.0/16)."
  }
}

variable "azs" {
  description = "Availability zones to spread the subnets over, one subnet of each tier per zone."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 1 && length(var.azs) <= 6 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 1 to 6 distinct availability zones."
  }

  validation {
    condition     = alltrue([for az in var.azs : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", az))])
    error_message = "Each entry of azs must be an availability zone name such as eu-central-1a."
  }
}

variable "public_subnet_cidrs" {
  description = "CIDR of the public subnet in each zone, in the order of azs. Null derives /24s from cidr (netnum 96 onwards for a /16)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.public_subnet_cidrs == null || alltrue([for c in coalesce(var.public_subnet_cidrs, []) : can(cidrhost(c, 0))])
    error_message = "Every entry of public_subnet_cidrs must be a valid IPv4 CIDR block."
  }
}

variable "private_subnet_cidrs" {
  description = "CIDR of the private (EKS nodes and pods) subnet in each zone, in the order of azs. Null derives them from cidr (4 extra bits each)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.private_subnet_cidrs == null || alltrue([for c in coalesce(var.private_subnet_cidrs, []) : can(cidrhost(c, 0))])
    error_message = "Every entry of private_subnet_cidrs must be a valid IPv4 CIDR block."
  }
}

variable "database_subnet_cidrs" {
  description = "CIDR of the isolated database subnet in each zone, in the order of azs. Null derives /24s from cidr (netnum 112 onwards for a /16)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.database_subnet_cidrs == null || alltrue([for c in coalesce(var.database_subnet_cidrs, []) : can(cidrhost(c, 0))])
    error_message = "Every entry of database_subnet_cidrs must be a valid IPv4 CIDR block."
  }
}

variable "nat_gateway_mode" {
  description = "Egress for the private subnets: `one_per_az` (highly available), `single` (one shared NAT gateway, cheaper) or `none`."
  type        = string
  default     = "one_per_az"

  validation {
    condition     = contains(["one_per_az", "single", "none"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be one of one_per_az, single, none."
  }
}

variable "cluster_name" {
  description = "EKS cluster that shares this VPC; tags the subnets for its load balancers. Null leaves the cluster tag off."
  type        = string
  default     = null
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 or 3653)."
  }
}

variable "flow_log_traffic_type" {
  description = "Traffic the flow log records: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as the permissions boundary of the VPC flow logs role (the platform's role boundary, which the GitHub deploy role requires on every role it creates). Null sets none."
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
