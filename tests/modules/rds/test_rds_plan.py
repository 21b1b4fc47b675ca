import json
import re

from tests.modules.conftest import case_file


def test_master_password_is_never_planned_in_plain_text(planner):
    plan = planner.plan("rds", case_file("rds", "dev_single_az", "tfvars"))
    changes = plan.resource_changes
    secret_paths = {
        "aws_secretsmanager_secret_version.master_password": ["secret_string"],
        "aws_db_instance.this": ["password"],
        "aws_secretsmanager_secret_version.connection": ["secret_string"],
    }
    for address, attributes in secret_paths.items():
        change = changes[address]["change"]
        for attribute in attributes:
            assert change["after_unknown"].get(attribute) is True, f"{address}.{attribute} is known at plan time"
            assert attribute not in (change["after"] or {}), f"{address}.{attribute} has a planned value"
            assert change["after_sensitive"].get(attribute) is True, f"{address}.{attribute} is not sensitive"
    # Nothing that looks like the generated password (64 hex characters) anywhere in the plan.
    assert not re.search(r"[0-9a-f]{64}", json.dumps(plan._raw))
