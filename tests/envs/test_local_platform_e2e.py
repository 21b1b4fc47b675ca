"""`invoke up` from nothing: the whole local platform in the emulator, idempotent, then destroyed and stopped."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("local-platform")]


def inventory(emulator) -> dict:
    """What of the local platform the emulator holds right now."""
    ec2, eks, iam, rds = (emulator.client(name) for name in ("ec2", "eks", "iam", "rds"))
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": ["local"]}])["Vpcs"]
    clusters = eks.list_clusters()["clusters"]
    nodegroups = [group for cluster in clusters for group in eks.list_nodegroups(clusterName=cluster)["nodegroups"]]
    roles = [role["RoleName"] for role in iam.list_roles()["Roles"] if role["RoleName"].startswith("tbyte-local")]
    databases = [db["DBInstanceIdentifier"] for db in rds.describe_db_instances()["DBInstances"]]
    elasticache, ecr, wafv2, cloudwatch, sns, backup = (emulator.client(name) for name in (
        "elasticache", "ecr", "wafv2", "cloudwatch", "sns", "backup"))
    caches = [group["ReplicationGroupId"] for group in elasticache.describe_replication_groups()["ReplicationGroups"]]
    repositories = sorted(repo["repositoryName"] for repo in ecr.describe_repositories()["repositories"])
    web_acls = [acl["Name"] for acl in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]]
    alarms = [alarm["AlarmName"] for alarm in cloudwatch.describe_alarms()["MetricAlarms"]]
    dashboards = [board["DashboardName"] for board in cloudwatch.list_dashboards()["DashboardEntries"]]
    topics = [topic["TopicArn"].rsplit(":", 1)[1] for topic in sns.list_topics()["Topics"]]
    vaults = [vault["BackupVaultName"] for vault in backup.list_backup_vaults()["BackupVaultList"]]
    return {"vpcs": len(vpcs), "clusters": clusters, "nodegroups": nodegroups, "roles": roles, "databases": databases,
            "caches": caches, "repositories": repositories, "web_acls": web_acls, "alarms": len(alarms),
            "dashboards": dashboards, "topics": topics, "vaults": vaults}


def test_up_is_idempotent_and_destroy_leaves_nothing(local_platform):
    up = local_platform.invoke("up")
    assert "local platform up" in up.stderr
    assert "IRSA role: application:" in up.stdout

    built = inventory(local_platform.emulator)
    assert built["vpcs"] == 1
    assert built["clusters"] == ["tbyte-local"]
    assert built["nodegroups"] == ["general"]
    assert {"tbyte-local-app", "tbyte-local-alb-controller", "tbyte-local-external-secrets"} <= set(built["roles"])
    assert built["databases"] == ["tbyte-local"]
    assert built["caches"] == ["tbyte-local"]
    assert built["repositories"] == ["tbyte/api", "tbyte/frontend", "tbyte/worker"]
    assert built["web_acls"] == ["tbyte-local"]
    assert built["alarms"] == 14  # 6 RDS, 4 for the one Redis node, 4 EKS (no ALB yet)
    assert built["dashboards"] == ["tbyte-local"] and built["topics"] == ["tbyte-local-alarms"]
    assert built["vaults"] == ["tbyte-local"]
    for label in ("RDS endpoint:", "database secret ARN:"):
        assert label in up.stdout

    replan = local_platform.invoke("plan", "--env", "local", "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr

    local_platform.invoke("destroy", "--env", "local")
    assert local_platform.emulator.status()["running"], "checked while the emulator still runs"
    assert inventory(local_platform.emulator) == {
        "vpcs": 0, "clusters": [], "nodegroups": [], "roles": [], "databases": [], "caches": [], "repositories": [],
        "web_acls": [], "alarms": 0, "dashboards": [], "topics": [], "vaults": []}

    local_platform.invoke("down")
    assert local_platform.emulator.status() == {"running": False, "endpoint": local_platform.emulator.endpoint,
                                                "pid": None}
