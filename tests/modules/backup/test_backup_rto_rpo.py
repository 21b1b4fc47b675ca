"""The RTO/RPO table of modules/backup/README.md is what each environment's backup plan does."""

import re

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tests.modules.conftest import SECOND_REGION as COPY_REGION

README = paths.MODULES / "backup" / "README.md"


def rto_rpo_table() -> dict[str, dict[str, str]]:
    lines = README.read_text().split("## RTO and RPO per environment", 1)[1].splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:  # the first table after the heading, up to its last row
        if not line.startswith("|"):
            break
        rows.append(line)
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    return {cells[0]: dict(zip(header, cells, strict=True)) for cells in
            ([cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:])}


@pytest.mark.parametrize("env", ["local", "dev", "stage", "prod"])
def test_each_environment_plans_what_the_table_promises(planner, env):
    row = rto_rpo_table()[env]
    settings = Environment.resolve(env).values
    copy_region = settings["backup_copy_region"]
    if copy_region is not None:
        # The test's aws.copy provider serves COPY_REGION; the table and env.hcl must name that region.
        assert copy_region == COPY_REGION
    plan = planner.plan(
        "backup", None, name=f"tbyte-{env}", environment=env,
        resource_arns=[f"arn:aws:rds:eu-central-1:123456789012:db:tbyte-{env}"],
        schedule=settings["backup_schedule"], retention_days=settings["backup_retention_days"],
        copy_region=copy_region, copy_retention_days=settings["backup_copy_retention_days"])
    (rule,) = plan.resource_changes["aws_backup_plan.this"]["change"]["after"]["rule"]

    # Daily backups: the "24 h" of the table.
    assert re.fullmatch(r"cron\(\d{1,2} \d{1,2} \* \* \? \*\)", rule["schedule"]), rule["schedule"]
    assert "24 h" in row["RPO, database in the region"]

    retention = int(re.match(r"(\d+) days?", row["backup retention (copy)"]).group(1))
    assert rule["lifecycle"][0]["delete_after"] == retention

    if env == "prod":
        # Prod must copy cross-region: a copy action, kept as long as the table says, in the region it names.
        (copy,) = rule["copy_action"]
        kept, region = re.search(r"\((\d+) days in ([a-z0-9-]+)\)", row["backup retention (copy)"]).groups()
        assert copy["lifecycle"][0]["delete_after"] == int(kept)
        assert region == copy_region and region in row["RPO, loss of the region"]
        assert "24 h" in row["RPO, loss of the region"]
        assert plan.resource_changes["aws_backup_vault.copy[0]"]["change"]["actions"] == ["create"]
    else:
        assert rule["copy_action"] == []
        assert "no copy" in row["backup retention (copy)"] and row["RPO, loss of the region"].startswith("none")
