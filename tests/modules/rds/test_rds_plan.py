
from tests.modules.conftest import assert_never_planned, case_file


def test_master_password_is_never_planned_in_plain_text(planner):
    plan = planner.plan("rds", case_file("rds", "dev_single_az", "tfvars"))
    assert_never_planned(plan, {
        "aws_secretsmanager_secret_version.master_password": ["secret_string"],
        "aws_db_instance.this": ["password"],
        "aws_secretsmanager_secret_version.connection": ["secret_string"],
    })
