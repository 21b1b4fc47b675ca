# Alarms and a dashboard for one environment, following AWS's recommended alarms: RDS, ElastiCache, the ALB of the
# Ingress and the EKS nodes (Container Insights). Every alarm notifies the KMS-encrypted alarm topic when it fires
# and when it recovers. A section exists only when its input is given (the ALB, for example, only once the AWS Load
# Balancer Controller has created it).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  gib = 1073741824

  # Postgres on RDS: max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000), unless given.
  rds_max_connections = var.rds == null ? 0 : coalesce(var.rds.max_connections, min(floor(var.rds.memory_gib * local.gib / 9531392), 5000))

  # Each alarm: namespace, metric, dimensions, statistic (or a percentile), comparison, threshold, period (s),
  # evaluation periods and datapoints to alarm, and what a missing datapoint means.
  rds_alarms = var.rds == null ? {} : {
    rds-cpu-utilization = {
      description = "RDS ${var.rds.instance_id}: CPU above ${var.rds_cpu_threshold_percent} % for 5 of 5 minutes"
      namespace   = "AWS/RDS", metric = "CPUUtilization", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "Average", comparison = "GreaterThanThreshold", threshold = var.rds_cpu_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    rds-free-storage-space = {
      description = "RDS ${var.rds.instance_id}: free storage below ${var.rds_free_storage_threshold_percent} % of the ${var.rds.allocated_storage_gib} GiB allocated"
      namespace   = "AWS/RDS", metric = "FreeStorageSpace", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "Minimum", comparison = "LessThanThreshold", threshold = floor(var.rds.allocated_storage_gib * local.gib * var.rds_free_storage_threshold_percent / 100)
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    rds-freeable-memory = {
      description = "RDS ${var.rds.instance_id}: freeable memory below ${var.rds_freeable_memory_threshold_percent} % of ${var.rds.memory_gib} GiB for 15 minutes"
      namespace   = "AWS/RDS", metric = "FreeableMemory", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "Average", comparison = "LessThanThreshold", threshold = floor(var.rds.memory_gib * local.gib * var.rds_freeable_memory_threshold_percent / 100)
      period      = 60, evaluation_periods = 15, datapoints = 15, missing = "missing"
    }
    rds-database-connections = {
      description = "RDS ${var.rds.instance_id}: connections above ${var.rds_connections_threshold_percent} % of max_connections (${local.rds_max_connections})"
      namespace   = "AWS/RDS", metric = "DatabaseConnections", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = floor(local.rds_max_connections * var.rds_connections_threshold_percent / 100)
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    rds-read-latency = {
      description = "RDS ${var.rds.instance_id}: p90 read latency above ${var.rds_latency_threshold_seconds} s for 5 of 5 minutes"
      namespace   = "AWS/RDS", metric = "ReadLatency", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "p90", comparison = "GreaterThanThreshold", threshold = var.rds_latency_threshold_seconds
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    rds-write-latency = {
      description = "RDS ${var.rds.instance_id}: p90 write latency above ${var.rds_latency_threshold_seconds} s for 5 of 5 minutes"
      namespace   = "AWS/RDS", metric = "WriteLatency", dimensions = { DBInstanceIdentifier = var.rds.instance_id }
      statistic   = "p90", comparison = "GreaterThanThreshold", threshold = var.rds_latency_threshold_seconds
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
  }

  # ElastiCache metrics are per node (CacheClusterId); the primary reports no ReplicationLag (not breaching).
  elasticache_nodes = var.elasticache == null ? [] : var.elasticache.member_clusters
  elasticache_alarms = merge([for node in local.elasticache_nodes : {
    "redis-${node}-engine-cpu-utilization" = {
      description = "ElastiCache node ${node}: Redis engine CPU above ${var.elasticache_engine_cpu_threshold_percent} % for 5 of 5 minutes"
      namespace   = "AWS/ElastiCache", metric = "EngineCPUUtilization", dimensions = { CacheClusterId = node }
      statistic   = "Average", comparison = "GreaterThanThreshold", threshold = var.elasticache_engine_cpu_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    "redis-${node}-database-memory-usage" = {
      description = "ElastiCache node ${node}: memory used above ${var.elasticache_memory_threshold_percent} % of maxmemory for 5 of 5 minutes"
      namespace   = "AWS/ElastiCache", metric = "DatabaseMemoryUsagePercentage", dimensions = { CacheClusterId = node }
      statistic   = "Average", comparison = "GreaterThanThreshold", threshold = var.elasticache_memory_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    "redis-${node}-replication-lag" = {
      description = "ElastiCache node ${node}: replica more than ${var.elasticache_replication_lag_threshold_seconds} s behind the primary for 5 of 5 minutes"
      namespace   = "AWS/ElastiCache", metric = "ReplicationLag", dimensions = { CacheClusterId = node }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.elasticache_replication_lag_threshold_seconds
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
    }
    "redis-${node}-evictions" = {
      description = "ElastiCache node ${node}: more than ${var.elasticache_evictions_threshold} keys evicted per minute for 5 of 5 minutes"
      namespace   = "AWS/ElastiCache", metric = "Evictions", dimensions = { CacheClusterId = node }
      statistic   = "Sum", comparison = "GreaterThanThreshold", threshold = var.elasticache_evictions_threshold
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
    }
  }]...)

  # ALB: created by the AWS Load Balancer Controller, so identified by its ARN suffix (app/<name>/<id>) once it exists.
  alb_alarms = var.alb == null ? {} : merge(
    {
      alb-target-5xx = {
        description = "ALB ${var.alb.arn_suffix}: targets answered more than ${var.alb_target_5xx_threshold} 5XX in a minute"
        namespace   = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", dimensions = { LoadBalancer = var.alb.arn_suffix }
        statistic   = "Sum", comparison = "GreaterThanThreshold", threshold = var.alb_target_5xx_threshold
        period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
      }
      alb-rejected-connections = {
        description = "ALB ${var.alb.arn_suffix}: connections rejected (no capacity) above ${var.alb_rejected_connections_threshold} in a minute"
        namespace   = "AWS/ApplicationELB", metric = "RejectedConnectionCount", dimensions = { LoadBalancer = var.alb.arn_suffix }
        statistic   = "Sum", comparison = "GreaterThanThreshold", threshold = var.alb_rejected_connections_threshold
        period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
      }
      alb-target-response-time = {
        description = "ALB ${var.alb.arn_suffix}: p99 response time above the ${var.alb_response_time_slo_seconds} s SLO for 5 of 5 minutes"
        namespace   = "AWS/ApplicationELB", metric = "TargetResponseTime", dimensions = { LoadBalancer = var.alb.arn_suffix }
        statistic   = "p99", comparison = "GreaterThanThreshold", threshold = var.alb_response_time_slo_seconds
        period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
      }
    },
    { for target_group in var.alb.target_group_arn_suffixes : "alb-unhealthy-hosts-${split("/", target_group)[1]}" => {
      description = "ALB ${var.alb.arn_suffix}: unhealthy targets in ${target_group} for 5 of 5 minutes"
      namespace   = "AWS/ApplicationELB", metric = "UnHealthyHostCount", dimensions = { LoadBalancer = var.alb.arn_suffix, TargetGroup = target_group }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.alb_unhealthy_hosts_threshold
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "notBreaching"
    } },
  )

  # EKS nodes through Container Insights (its agent is an EKS add-on of the eks stack).
  eks_alarms = var.eks_cluster_name == null ? {} : {
    eks-failed-nodes = {
      description = "EKS ${var.eks_cluster_name}: more than ${var.eks_failed_node_threshold} failed worker nodes for 5 of 5 minutes"
      namespace   = "ContainerInsights", metric = "cluster_failed_node_count", dimensions = { ClusterName = var.eks_cluster_name }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.eks_failed_node_threshold
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    eks-node-cpu-utilization = {
      description = "EKS ${var.eks_cluster_name}: node CPU above ${var.eks_node_cpu_threshold_percent} % for 5 of 5 minutes"
      namespace   = "ContainerInsights", metric = "node_cpu_utilization", dimensions = { ClusterName = var.eks_cluster_name }
      statistic   = "Average", comparison = "GreaterThanThreshold", threshold = var.eks_node_cpu_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    eks-node-memory-utilization = {
      description = "EKS ${var.eks_cluster_name}: node memory above ${var.eks_node_memory_threshold_percent} % for 5 of 5 minutes"
      namespace   = "ContainerInsights", metric = "node_memory_utilization", dimensions = { ClusterName = var.eks_cluster_name }
      statistic   = "Average", comparison = "GreaterThanThreshold", threshold = var.eks_node_memory_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
    eks-node-filesystem-utilization = {
      description = "EKS ${var.eks_cluster_name}: node file system above ${var.eks_node_filesystem_threshold_percent} % for 5 of 5 minutes"
      namespace   = "ContainerInsights", metric = "node_filesystem_utilization", dimensions = { ClusterName = var.eks_cluster_name }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.eks_node_filesystem_threshold_percent
      period      = 60, evaluation_periods = 5, datapoints = 5, missing = "missing"
    }
  }

  alarms = merge(local.rds_alarms, local.elasticache_alarms, local.alb_alarms, local.eks_alarms)
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name        = "${var.name}-${each.key}"
  alarm_description = each.value.description

  namespace          = each.value.namespace
  metric_name        = each.value.metric
  dimensions         = each.value.dimensions
  statistic          = startswith(each.value.statistic, "p") ? null : each.value.statistic
  extended_statistic = startswith(each.value.statistic, "p") ? each.value.statistic : null

  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints
  treat_missing_data  = each.value.missing

  alarm_actions = [aws_sns_topic.alarms.arn]
  ok_actions    = [aws_sns_topic.alarms.arn]

  tags = var.tags
}
