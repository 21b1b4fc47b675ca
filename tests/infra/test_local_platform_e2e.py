"""`invoke up` from nothing: the whole local platform in the emulator, idempotent, then destroyed and stopped."""

import pytest

from tbyte.tenancy.model import tenancy

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("local-platform")]


def inventory(emulator) -> dict:
    """What of the local platform the emulator holds right now."""
    ec2, eks, iam, rds = (emulator.client(name) for name in ("ec2", "eks", "iam", "rds"))
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": ["local"]}])["Vpcs"]
    clusters = eks.list_clusters()["clusters"]
    nodegroups = [group for cluster in clusters for group in eks.list_nodegroups(clusterName=cluster)["nodegroups"]]
    roles = [role["RoleName"] for role in iam.list_roles()["Roles"] if role["RoleName"].startswith("tbyte-local")]
    databases = [db["DBInstanceIdentifier"] for db in rds.describe_db_instances()["DBInstances"]]
    return {"vpcs": len(vpcs), "clusters": clusters, "nodegroups": nodegroups, "roles": roles, "databases": databases}


def test_up_is_idempotent_and_destroy_leaves_nothing(local_platform):
    up = local_platform.invoke("up")
    assert "local platform up" in up.stderr
    assert "IRSA role: application:" in up.stdout

    built = inventory(local_platform.emulator)
    assert built["vpcs"] == 1
    assert built["clusters"] == ["tbyte-local"]
    assert built["nodegroups"] == ["general"]
    assert {"tbyte-local-app", "tbyte-local-alb-controller", "tbyte-local-external-secrets"} <= set(built["roles"])
    # The access groups of platform/tenants.yaml (iam stack), the break-glass one alarmed.
    assert {group.role_name for group in tenancy("local").groups} <= set(built["roles"])
    alarms = local_platform.emulator.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert [alarm["AlarmName"] for alarm in alarms if "break-glass" in alarm["AlarmName"]] == [
        "tbyte-local-break-glass-used"]
    assert built["databases"] == ["tbyte-local"]

    replan = local_platform.invoke("plan", "--env", "local", "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr

    local_platform.invoke("destroy", "--env", "local")
    assert local_platform.emulator.status()["running"], "checked while the emulator still runs"
    assert inventory(local_platform.emulator) == {"vpcs": 0, "clusters": [], "nodegroups": [], "roles": [],
                                                  "databases": []}

    local_platform.invoke("down")
    assert local_platform.emulator.status() == {"running": False, "endpoint": local_platform.emulator.endpoint,
                                                "pid": None}
