import pytest

from tests.modules.conftest import case_file

BASE = case_file("observability", "everything", "tfvars")

THRESHOLDS = [
    ("rds_cpu_threshold_percent", 101, "rds_cpu_threshold_percent must be a percentage"),
    ("rds_free_storage_threshold_percent", 0, "rds_free_storage_threshold_percent must be a percentage"),
    ("rds_freeable_memory_threshold_percent", 100, "rds_freeable_memory_threshold_percent must be a percentage"),
    ("rds_connections_threshold_percent", 0, "rds_connections_threshold_percent must be a percentage"),
    ("rds_latency_threshold_seconds", 0, "rds_latency_threshold_seconds must be greater than 0"),
    ("elasticache_engine_cpu_threshold_percent", 150, "elasticache_engine_cpu_threshold_percent must be a percentage"),
    ("elasticache_memory_threshold_percent", -1, "elasticache_memory_threshold_percent must be a percentage"),
    ("elasticache_replication_lag_threshold_seconds", 0, "elasticache_replication_lag_threshold_seconds must be greater than 0"),
    ("elasticache_evictions_threshold", -1, "elasticache_evictions_threshold must not be negative"),
    ("alb_target_5xx_threshold", -1, "alb_target_5xx_threshold must not be negative"),
    ("alb_rejected_connections_threshold", -1, "alb_rejected_connections_threshold must not be negative"),
    ("alb_response_time_slo_seconds", 0, "alb_response_time_slo_seconds must be greater than 0"),
    ("alb_unhealthy_hosts_threshold", -1, "alb_unhealthy_hosts_threshold must not be negative"),
    ("eks_failed_node_threshold", -1, "eks_failed_node_threshold must not be negative"),
    ("eks_node_cpu_threshold_percent", 0, "eks_node_cpu_threshold_percent must be a percentage"),
    ("eks_node_memory_threshold_percent", 101, "eks_node_memory_threshold_percent must be a percentage"),
    ("eks_node_filesystem_threshold_percent", 101, "eks_node_filesystem_threshold_percent must be a percentage"),
]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "TByte"}, "name must be 3-50 characters"),
        ({"alarm_subscriptions": [{"protocol": "http", "endpoint": "http://example.com"}]},
         "Each alarm_subscriptions protocol must be email, https, sqs or lambda"),
        ({"alarm_subscriptions": [{"protocol": "email", "endpoint": "oncall"}]},
         "Each alarm_subscriptions endpoint must match its protocol"),
        ({"rds": {"instance_id": "tbyte-prod", "allocated_storage_gib": 10, "memory_gib": 32}},
         "rds needs allocated_storage_gib >= 20, memory_gib > 0"),
        ({"elasticache": {"replication_group_id": "tbyte-prod", "member_clusters": []}},
         "elasticache needs at least one member cluster"),
        ({"alb": {"arn_suffix": "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/x/0123"}},
         "alb.arn_suffix must be an ALB ARN suffix"),
        ({"alb": {"arn_suffix": "app/x/0123", "target_group_arn_suffixes": ["tg/x/0123"]}},
         "Each alb.target_group_arn_suffixes entry must be a target group ARN suffix"),
    ] + [({name: value}, message) for name, value, message in THRESHOLDS],
    ids=["name", "subscription-protocol", "subscription-endpoint", "rds", "elasticache", "alb-arn-suffix",
         "alb-target-groups"] + [name for name, _, _ in THRESHOLDS],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("observability", BASE, **inputs)
