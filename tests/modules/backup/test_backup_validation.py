import pytest

from tests.modules.conftest import case_file

BASE = case_file("backup", "dev_in_region", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "TByte"}, "name must be 3-44 characters"),
        ({"environment": "production"}, "environment must be one of local, dev, stage, prod"),
        ({"resource_arns": []}, "resource_arns must list at least one resource, without repetitions"),
        ({"resource_arns": ["arn:aws:elasticache:eu-central-1:111111111111:replicationgroup:tbyte-dev"]},
         "Each entry of resource_arns must be the ARN of an RDS DB instance or cluster"),
        ({"rule_name": "Daily Rule"}, "rule_name must be up to 32 lowercase letters"),
        ({"schedule": "rate(1 day)"}, "schedule must be a cron expression with six fields"),
        ({"start_window_minutes": 30}, "start_window_minutes must be a whole number of at least 60"),
        ({"completion_window_minutes": 60}, "completion_window_minutes must be a whole number of at least 120"),
        ({"retention_days": 0}, "retention_days must be a whole number of days between 1 and 36500"),
        ({"copy_region": "europe"}, "copy_region must be an AWS region"),
        ({"copy_retention_days": 0}, "copy_retention_days must be a whole number of days between 1 and 36500"),
        ({"notifications": {"topic_arn": "tbyte-dev-alarms"}}, "notifications.topic_arn must be an SNS topic ARN"),
        ({"notifications": {"topic_arn": "arn:aws:sns:eu-central-1:111111111111:alarms", "events": ["JOB_FAILED"]}},
         "notifications.events must list AWS Backup vault events"),
        ({"environment": "prod"}, "In prod the backups must be copied to a second region"),
        ({"copy_region": "eu-central-1"}, "copy_region must differ from the region of the backups"),
        ({"copy_region": "us-east-1"}, "The aws.copy provider must be configured for copy_region"),
    ],
    ids=["name", "environment", "resources-empty", "resources-not-rds", "rule-name", "schedule", "start-window",
         "completion-window", "retention", "copy-region", "copy-retention", "notification-topic",
         "notification-events", "prod-without-copy", "copy-in-the-same-region", "copy-provider-elsewhere"],
)
def test_bad_input_fails_with_the_module_message(backup_planner, inputs, message):
    assert message in backup_planner.plan_error("backup", BASE, **inputs)
