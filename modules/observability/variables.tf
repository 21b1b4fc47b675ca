variable "name" {
  description = "Name of the environment's dashboard and prefix of the topic, the key alias and every alarm (for example `tbyte-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,48}[a-z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "name must be 3-50 characters of lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "alarm_subscriptions" {
  description = "Who the alarm topic notifies: `protocol` (email, https, sqs, lambda) and `endpoint` (address, URL or ARN). Email and HTTPS endpoints must confirm their subscription."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for subscription in var.alarm_subscriptions : contains(["email", "https", "sqs", "lambda"], subscription.protocol)])
    error_message = "Each alarm_subscriptions protocol must be email, https, sqs or lambda (no plain http)."
  }

  validation {
    condition = alltrue([for subscription in var.alarm_subscriptions : (
      subscription.protocol == "email" ? can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", subscription.endpoint)) :
      subscription.protocol == "https" ? startswith(subscription.endpoint, "https://") :
      can(regex("^arn:aws[a-z-]*:(sqs|lambda):", subscription.endpoint))
    )])
    error_message = "Each alarm_subscriptions endpoint must match its protocol: an e-mail address, an https:// URL, or an SQS queue or Lambda function ARN."
  }
}

variable "rds" {
  description = "The DB instance to alarm on: its identifier, allocated storage and memory (GiB, for the percentage thresholds) and optionally max_connections (default: what RDS PostgreSQL derives from the memory). Null: no RDS alarm."
  type = object({
    instance_id           = string
    allocated_storage_gib = number
    memory_gib            = number
    max_connections       = optional(number)
  })
  default = null

  validation {
    condition     = var.rds == null || try(var.rds.allocated_storage_gib >= 20 && var.rds.memory_gib > 0 && coalesce(var.rds.max_connections, 1) >= 1, false)
    error_message = "rds needs allocated_storage_gib >= 20, memory_gib > 0 and, when given, max_connections >= 1."
  }
}

variable "elasticache" {
  description = "The replication group to alarm on: its ID and member clusters (nodes; the elasticache stack's member_clusters output). Null: no ElastiCache alarm."
  type = object({
    replication_group_id = string
    member_clusters      = list(string)
  })
  default = null

  validation {
    condition     = var.elasticache == null || try(length(var.elasticache.member_clusters) >= 1, false)
    error_message = "elasticache needs at least one member cluster."
  }
}

variable "alb" {
  description = "The ALB the AWS Load Balancer Controller created for the Ingress, once it exists: its ARN suffix (`app/<name>/<id>`) and the ARN suffixes of its target groups (`targetgroup/<name>/<id>`). Null: no ALB alarm."
  type = object({
    arn_suffix                = string
    target_group_arn_suffixes = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.alb == null || can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", try(var.alb.arn_suffix, "")))
    error_message = "alb.arn_suffix must be an ALB ARN suffix such as app/k8s-tbyte-frontend-0123456789/0123456789abcdef."
  }

  validation {
    condition     = var.alb == null || alltrue([for target_group in try(var.alb.target_group_arn_suffixes, []) : can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", target_group))])
    error_message = "Each alb.target_group_arn_suffixes entry must be a target group ARN suffix such as targetgroup/k8s-tbyte-frontend-0123456789/0123456789abcdef."
  }
}

variable "eks_cluster_name" {
  description = "EKS cluster whose nodes Container Insights reports (the add-on is installed by the eks stack). Null: no EKS alarm."
  type        = string
  default     = null
}

variable "rds_cpu_threshold_percent" {
  description = "RDS CPUUtilization above which the alarm fires (5 of 5 one-minute periods; AWS recommends 90)."
  type        = number
  default     = 90

  validation {
    condition     = var.rds_cpu_threshold_percent > 0 && var.rds_cpu_threshold_percent <= 100
    error_message = "rds_cpu_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "rds_free_storage_threshold_percent" {
  description = "Free storage, in percent of the allocated storage, below which the alarm fires (AWS recommends about 10)."
  type        = number
  default     = 10

  validation {
    condition     = var.rds_free_storage_threshold_percent > 0 && var.rds_free_storage_threshold_percent < 100
    error_message = "rds_free_storage_threshold_percent must be a percentage between 0 and 100 (both excluded)."
  }
}

variable "rds_freeable_memory_threshold_percent" {
  description = "Freeable memory, in percent of the instance memory, below which the alarm fires (15 of 15 minutes; AWS advises keeping at least 25 % free)."
  type        = number
  default     = 25

  validation {
    condition     = var.rds_freeable_memory_threshold_percent > 0 && var.rds_freeable_memory_threshold_percent < 100
    error_message = "rds_freeable_memory_threshold_percent must be a percentage between 0 and 100 (both excluded)."
  }
}

variable "rds_connections_threshold_percent" {
  description = "Connections, in percent of max_connections, above which the alarm fires (near the maximum)."
  type        = number
  default     = 90

  validation {
    condition     = var.rds_connections_threshold_percent > 0 && var.rds_connections_threshold_percent <= 100
    error_message = "rds_connections_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "rds_latency_threshold_seconds" {
  description = "p90 ReadLatency and WriteLatency (seconds per I/O) above which the alarms fire (AWS leaves it to the workload; 20 ms is slow for gp3)."
  type        = number
  default     = 0.02

  validation {
    condition     = var.rds_latency_threshold_seconds > 0
    error_message = "rds_latency_threshold_seconds must be greater than 0."
  }
}

variable "elasticache_engine_cpu_threshold_percent" {
  description = "EngineCPUUtilization (the Redis thread) above which the alarm fires (AWS recommends 90)."
  type        = number
  default     = 90

  validation {
    condition     = var.elasticache_engine_cpu_threshold_percent > 0 && var.elasticache_engine_cpu_threshold_percent <= 100
    error_message = "elasticache_engine_cpu_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "elasticache_memory_threshold_percent" {
  description = "DatabaseMemoryUsagePercentage (of maxmemory) above which the alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.elasticache_memory_threshold_percent > 0 && var.elasticache_memory_threshold_percent <= 100
    error_message = "elasticache_memory_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "elasticache_replication_lag_threshold_seconds" {
  description = "ReplicationLag of a replica (seconds) above which the alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.elasticache_replication_lag_threshold_seconds > 0
    error_message = "elasticache_replication_lag_threshold_seconds must be greater than 0."
  }
}

variable "elasticache_evictions_threshold" {
  description = "Keys evicted per minute (for lack of memory) above which the alarm fires."
  type        = number
  default     = 100

  validation {
    condition     = var.elasticache_evictions_threshold >= 0
    error_message = "elasticache_evictions_threshold must not be negative."
  }
}

variable "alb_target_5xx_threshold" {
  description = "HTTPCode_Target_5XX_Count per minute above which the alarm fires (0: any 5XX of a target)."
  type        = number
  default     = 0

  validation {
    condition     = var.alb_target_5xx_threshold >= 0
    error_message = "alb_target_5xx_threshold must not be negative."
  }
}

variable "alb_rejected_connections_threshold" {
  description = "RejectedConnectionCount per minute above which the alarm fires (0: any rejected connection)."
  type        = number
  default     = 0

  validation {
    condition     = var.alb_rejected_connections_threshold >= 0
    error_message = "alb_rejected_connections_threshold must not be negative."
  }
}

variable "alb_response_time_slo_seconds" {
  description = "The services' latency SLO: p99 TargetResponseTime (seconds) above which the alarm fires."
  type        = number
  default     = 1

  validation {
    condition     = var.alb_response_time_slo_seconds > 0
    error_message = "alb_response_time_slo_seconds must be greater than 0."
  }
}

variable "alb_unhealthy_hosts_threshold" {
  description = "UnHealthyHostCount of a target group above which the alarm fires (0: any unhealthy target)."
  type        = number
  default     = 0

  validation {
    condition     = var.alb_unhealthy_hosts_threshold >= 0
    error_message = "alb_unhealthy_hosts_threshold must not be negative."
  }
}

variable "eks_failed_node_threshold" {
  description = "cluster_failed_node_count above which the alarm fires (0: any failed node)."
  type        = number
  default     = 0

  validation {
    condition     = var.eks_failed_node_threshold >= 0
    error_message = "eks_failed_node_threshold must not be negative."
  }
}

variable "eks_node_cpu_threshold_percent" {
  description = "node_cpu_utilization above which the alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.eks_node_cpu_threshold_percent > 0 && var.eks_node_cpu_threshold_percent <= 100
    error_message = "eks_node_cpu_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "eks_node_memory_threshold_percent" {
  description = "node_memory_utilization above which the alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.eks_node_memory_threshold_percent > 0 && var.eks_node_memory_threshold_percent <= 100
    error_message = "eks_node_memory_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "eks_node_filesystem_threshold_percent" {
  description = "node_filesystem_utilization above which the alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.eks_node_filesystem_threshold_percent > 0 && var.eks_node_filesystem_threshold_percent <= 100
    error_message = "eks_node_filesystem_threshold_percent must be a percentage between 0 (excluded) and 100."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
