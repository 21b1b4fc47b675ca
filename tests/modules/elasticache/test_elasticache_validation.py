import pytest

from tests.modules.conftest import case_file

BASE = case_file("elasticache", "dev_single_node", "tfvars")
PROD = case_file("elasticache", "prod_multi_az", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "TByte_Dev"}, "name must be 2-35 characters"),
        ({"name": "tbyte-a-name-far-too-long-for-member-ids"}, "name must be 2-35 characters"),
        ({"environment": "production"}, "environment must be one of local, dev, stage, prod"),
        ({"engine_version": "7.1"}, "engine_version must be 6.x"),
        ({"node_type": "t4g.micro"}, "node_type must look like cache.<family>.<size>"),
        ({"number_cache_clusters": 7}, "number_cache_clusters must be a whole number between 1 and 6"),
        ({"port": 80}, "port must be a whole number between 1024 and 65535"),
        ({"vpc_id": "vpc-xyz"}, "vpc_id must be a VPC ID"),
        ({"subnet_ids": []}, "subnet_ids must list at least one subnet, without repetitions"),
        ({"subnet_ids": ["subnet-0123456789abcdef0", "sn-1"]}, "Every entry of subnet_ids must be a subnet ID"),
        ({"allowed_security_group_ids": ["sg-0123456789abcdef0", "sg-0123456789abcdef0"]},
         "allowed_security_group_ids must not repeat a security group"),
        ({"allowed_security_group_ids": ["0.0.0.0/0"]},
         "Every entry of allowed_security_group_ids must be a security group ID"),
        ({"parameters": {"MaxMemory_Policy": "x"}}, "parameters names must be Redis parameter names"),
        ({"parameters": {"cluster-enabled": "yes"}}, "parameters must not set cluster-enabled"),
        ({"maintenance_window": "Sun:05:00-Sun:06:00"}, "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi"),
        ({"maintenance_window": "sun:05:00-sun:05:30"}, "maintenance_window must last at least 60 minutes"),
        ({"snapshot_window": "3:00-4:00"}, "snapshot_window must be hh24:mi-hh24:mi in UTC"),
        ({"snapshot_window": "03:00-03:30"}, "snapshot_window must last at least 60 minutes"),
        ({"snapshot_retention_limit": 36}, "snapshot_retention_limit must be a whole number of days between 0 and 35"),
        ({"log_types": ["slow-log", "audit"]}, "log_types must be a subset of slow-log, engine-log"),
        ({"log_retention_days": 10}, "log_retention_days must be a retention CloudWatch Logs accepts"),
        ({"secret_name": "/tbyte/dev/redis"}, "secret_name must be up to 256 lowercase letters"),
        ({"secret_recovery_window_in_days": 3},
         "secret_recovery_window_in_days must be 0 or a whole number between 7 and 30"),
        ({"secret_reader_roles": {"app": "arn:aws:iam::123456789012:role/tbyte-dev-app"}},
         "Each value of secret_reader_roles must be an IAM role name"),
        ({"automatic_failover_enabled": True}, "automatic_failover_enabled needs number_cache_clusters >= 2"),
        ({"number_cache_clusters": 2, "multi_az_enabled": True}, "multi_az_enabled needs automatic_failover_enabled"),
        ({"number_cache_clusters": 2, "automatic_failover_enabled": True, "multi_az_enabled": True,
          "subnet_ids": ["subnet-0123456789abcdef0"]}, "multi_az_enabled needs subnet_ids in at least 2"),
        ({"snapshot_window": "05:30-06:30"}, "snapshot_window and maintenance_window must not overlap"),
        ({"snapshot_window": "23:30-00:30", "maintenance_window": "mon:00:00-mon:01:00"},
         "snapshot_window and maintenance_window must not overlap"),
    ],
    ids=["name-syntax", "name-too-long", "environment", "engine-version", "node-type", "cache-clusters", "port",
         "vpc-id", "subnets-empty", "subnet-id", "sg-repeated", "sg-cidr", "parameter-name",
         "parameter-cluster-enabled", "maintenance-window-format", "maintenance-window-short",
         "snapshot-window-format", "snapshot-window-short", "snapshot-retention", "log-types", "log-retention",
         "secret-name", "secret-recovery-window", "secret-reader-arn", "failover-single-node",
         "multi-az-without-failover", "multi-az-one-subnet", "windows-overlap", "windows-overlap-across-week"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("elasticache", BASE, **inputs)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"number_cache_clusters": 1, "automatic_failover_enabled": False, "multi_az_enabled": False},
         "In prod the cache must have number_cache_clusters >= 2, automatic_failover_enabled = true and multi_az_enabled = true"),
        ({"multi_az_enabled": False},
         "In prod the cache must have number_cache_clusters >= 2, automatic_failover_enabled = true and multi_az_enabled = true"),
        ({"skip_final_snapshot": True}, "In prod the cache must keep a final snapshot"),
        ({"snapshot_retention_limit": 3}, "In prod the cache must keep a final snapshot"),
    ],
    ids=["prod-single-node", "prod-single-az", "prod-skip-final-snapshot", "prod-short-retention"],
)
def test_prod_refuses_a_cache_that_is_not_highly_available_and_kept(planner, inputs, message):
    assert message in planner.plan_error("elasticache", PROD, **inputs)
