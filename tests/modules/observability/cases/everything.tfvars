name                = "tbyte-prod"
alarm_subscriptions = [{ protocol = "email", endpoint = "platform-oncall@tbyte.example.com" }, { protocol = "https", endpoint = "https://events.pagerduty.com/integration/0123/enqueue" }]
rds                 = { instance_id = "tbyte-prod", allocated_storage_gib = 100, memory_gib = 32 }
elasticache         = { replication_group_id = "tbyte-prod", member_clusters = ["tbyte-prod-001", "tbyte-prod-002"] }
alb = {
  arn_suffix                = "app/k8s-tbyte-frontend-0123456789/0123456789abcdef"
  target_group_arn_suffixes = ["targetgroup/k8s-tbyte-frontend-0123456789/0123456789abcdef"]
}
eks_cluster_name              = "tbyte-prod"
alb_response_time_slo_seconds = 0.5
tags                          = { Project = "tbyte" }
