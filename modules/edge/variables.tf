variable "name" {
  description = "Name of the web ACL and prefix of every resource of the module (for example `tbyte-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,48}[a-z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "name must be 3-50 characters of lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "rate_limit" {
  description = "Requests one client IP may send in any 5 minutes before the web ACL blocks it (until its rate drops)."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit >= 100 && var.rate_limit <= 2000000000 && floor(var.rate_limit) == var.rate_limit
    error_message = "rate_limit must be a whole number of requests between 100 and 2000000000."
  }
}

variable "managed_rule_groups" {
  description = "AWS managed rule groups of the web ACL, by name, with their priority (after the rate limit, which is 0) and whether they only count (to tune a group before it blocks)."
  type = map(object({
    priority   = number
    count_only = optional(bool, false)
  }))
  default = {
    AWSManagedRulesAmazonIpReputationList = { priority = 10 }
    AWSManagedRulesCommonRuleSet          = { priority = 20 }
    AWSManagedRulesKnownBadInputsRuleSet  = { priority = 30 }
  }

  validation {
    condition     = alltrue([for name in keys(var.managed_rule_groups) : can(regex("^AWSManagedRules[A-Za-z0-9]+$", name))])
    error_message = "managed_rule_groups names must be AWS managed rule groups (AWSManagedRules...)."
  }

  validation {
    condition     = alltrue([for group in values(var.managed_rule_groups) : group.priority >= 1 && floor(group.priority) == group.priority]) && length(distinct([for group in values(var.managed_rule_groups) : group.priority])) == length(var.managed_rule_groups)
    error_message = "managed_rule_groups priorities must be distinct whole numbers of at least 1 (0 is the rate limit)."
  }

  validation {
    condition     = alltrue([for name in ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"] : contains(keys(var.managed_rule_groups), name)])
    error_message = "managed_rule_groups must keep AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList (count_only to tune one)."
  }

  validation {
    condition     = !try(var.managed_rule_groups["AWSManagedRulesKnownBadInputsRuleSet"].count_only, false)
    error_message = "AWSManagedRulesKnownBadInputsRuleSet must block (no count_only): it stops Log4Shell (CVE-2021-44228) and other known exploit payloads."
  }
}

variable "redacted_headers" {
  description = "Request headers replaced by REDACTED in the WAF logs (credentials and session cookies)."
  type        = list(string)
  default     = ["authorization", "cookie"]

  validation {
    condition     = alltrue([for header in var.redacted_headers : can(regex("^[a-z0-9-]{1,64}$", header))])
    error_message = "redacted_headers must be lowercase header names."
  }
}

variable "log_retention_days" {
  description = "Days to keep the WAF logs in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827 or 3653)."
  }
}

variable "domain_name" {
  description = "Domain of the environment (for example `dev.tbyte.example.com`): an ACM certificate is requested for it and validated in hosted_zone_id. Null creates no certificate and no record."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", coalesce(var.domain_name, "-")))
    error_message = "domain_name must be a lowercase domain name such as dev.tbyte.example.com (no wildcard, no trailing dot)."
  }
}

variable "subject_alternative_names" {
  description = "Other names of the certificate, for example `*.dev.tbyte.example.com`."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.subject_alternative_names : can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", name))])
    error_message = "Each entry of subject_alternative_names must be a lowercase domain name, optionally starting with *. (for example *.dev.tbyte.example.com)."
  }
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone of domain_name, where the validation (and alias) records are written. Required with domain_name."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", coalesce(var.hosted_zone_id, "-")))
    error_message = "hosted_zone_id must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ."
  }
}

variable "load_balancer" {
  description = "DNS name and hosted zone of the load balancer the AWS Load Balancer Controller created for the Ingress, once it exists; null writes no alias record."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "alias_records" {
  description = "Host names pointed at load_balancer with A alias records (for example `www.dev.tbyte.example.com`); written only when load_balancer is set."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.alias_records : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", name))])
    error_message = "Each entry of alias_records must be a lowercase host name such as www.dev.tbyte.example.com."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
