"""`invoke up` from nothing: the AWS stacks in the emulator, the local control plane and every release, for real;
then canaries that pass and fail, a rollback, a release the API server rejects; `invoke down` removes it all.

The tests of this module share one platform (brought up by the first) and run in order.
"""

import json
from pathlib import Path

import pytest

from tbyte.core import paths
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


def replica_sets(platform, release: str) -> dict[str, int]:
    """{image tag: ready replicas} of a release's ReplicaSets."""
    found = {}
    for item in platform.kubectl("get", "replicasets", "-n", "tbyte", "-l", f"app.kubernetes.io/name={release}")["items"]:
        tag = item["spec"]["template"]["spec"]["containers"][0]["image"].split(":")[-1].split("@")[0]
        found[tag] = found.get(tag, 0) + int(item["status"].get("readyReplicas") or 0)
    return found


def rollout(platform, release: str) -> dict:
    return json.loads(platform.invoke("rollout.status", "--env", "local", "--release", release, "--json").stdout)


def test_up_applies_the_stacks_and_installs_every_release(local_platform):
    up = local_platform.invoke("up")
    assert "local platform up" in up.stderr
    assert "IRSA role: application:" in up.stdout
    assert "workloads available:                       api, frontend, worker" in up.stdout

    built = inventory(local_platform.emulator)
    assert built["vpcs"] == 1 and built["clusters"] == ["tbyte-local"] and built["nodegroups"] == ["general"]
    assert {"tbyte-local-app", "tbyte-local-alb-controller", "tbyte-local-external-secrets"} <= set(built["roles"])
    assert built["databases"] == ["tbyte-local"]
    assert built["caches"] == ["tbyte-local"]
    assert built["repositories"] == ["tbyte/api", "tbyte/frontend", "tbyte/worker"]
    assert built["web_acls"] == ["tbyte-local"]
    assert built["alarms"] == 15  # 6 RDS, 4 for the one Redis node, 4 EKS (no ALB yet), 1 break-glass use
    # The access groups of platform/tenants.yaml (iam stack), the break-glass one alarmed.
    assert {group.role_name for group in tenancy("local").groups} <= set(built["roles"])
    assert "tbyte-local-break-glass-used" in [alarm["AlarmName"] for alarm in local_platform.emulator.client(
        "cloudwatch").describe_alarms(AlarmNamePrefix="tbyte-local-break-glass")["MetricAlarms"]]
    assert built["dashboards"] == ["tbyte-local"] and built["topics"] == ["tbyte-local-alarms"]
    assert built["vaults"] == ["tbyte-local"]
    for label in ("Redis primary endpoint:", "ECR repository URLs:", "alarm topic:"):
        assert label in up.stdout, up.stdout

    endpoint = f"https://127.0.0.1:{local_platform.env['INVOKE_TBYTE_KUBE_PORT']}"
    cluster = local_platform.emulator.client("eks").describe_cluster(name="tbyte-local")["cluster"]
    assert cluster["endpoint"] == endpoint, "the EKS cluster of local is the local control plane"
    rollouts = local_platform.kubectl("get", "rollouts.argoproj.io", "-n", "tbyte")["items"]
    assert {item["metadata"]["name"]: item["status"]["phase"] for item in rollouts} == {"api": "Healthy",
                                                                                        "frontend": "Healthy"}
    (worker,) = local_platform.kubectl("get", "deployments", "-n", "tbyte")["items"]
    assert worker["status"]["availableReplicas"] == worker["spec"]["replicas"] == 1
    pods = local_platform.kubectl("get", "pods", "-n", "tbyte")["items"]
    assert len(pods) == 6 and all(pod["status"]["phase"] == "Running" for pod in pods)
    addons = {(item["metadata"]["namespace"], item["metadata"]["name"]): item["status"].get("availableReplicas")
              == item["spec"]["replicas"] for item in local_platform.kubectl("get", "deployments", "-A")["items"]
              if item["metadata"]["namespace"] != "tbyte"}
    assert addons == {("argo-rollouts", "argo-rollouts"): True, ("external-secrets", "external-secrets"): True,
                      ("kube-system", "metrics-server"): True}, "the local-capable add-ons run, each Available"
    assert "add-ons installed:                         external-secrets, kube-prometheus-stack, argo-cd, " \
           "argo-rollouts, metrics-server" in up.stdout
    assert not local_platform.kubectl("get", "validatingwebhookconfigurations")["items"], \
        "no webhook that nothing would answer (kwok plays the pods)"
    enforced = {item["metadata"]["name"]: item["metadata"]["labels"].get("pod-security.kubernetes.io/enforce")
                for item in local_platform.kubectl("get", "namespaces")["items"]}
    assert {name: enforced.get(name) for name in ("tbyte", "payments", "argo-rollouts", "monitoring")} == {
        "tbyte": "restricted", "payments": "restricted", "argo-rollouts": "restricted", "monitoring": "baseline"}, \
        "the tenancy is installed before any workload"
    checked = local_platform.invoke("tenancy.check", "--env", "local", check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    account = local_platform.kubectl("get", "serviceaccount", "api", "-n", "tbyte")
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/tbyte-local-app")

    replan = local_platform.invoke("plan", "--env", "local", "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr


def test_the_applied_platform_passes_the_gate(local_platform, tmp_path):
    """Plans against real state carry values a fresh plan leaves unknown (the RDS CA, the topic policy)."""
    scan = local_platform.invoke("scan", "--env", "local", check=False, env={"INVOKE_TBYTE_REPORTS_DIR": str(tmp_path)})
    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "no unsuppressed finding" in scan.stderr, scan.stderr


def test_a_canary_that_passes_its_analysis_reaches_every_replica(local_platform):
    local_platform.invoke("helm.deploy", "--env", "local", "--release", "api", "--image-tag", "9.9.1")
    state = rollout(local_platform, "api")
    assert state["phase"] == "Healthy" and state["weight"] == 100, state
    assert replica_sets(local_platform, "api")["9.9.1"] == 4
    assert {m["metric"]: m["phase"] for m in state["measurements"]} == {"success-rate": "Successful",
                                                                        "latency-p95": "Successful"}


def test_a_canary_that_fails_its_analysis_aborts_and_the_stable_version_keeps_serving(local_platform):
    local_platform.invoke("rollout.signal", "--release", "api", "--version", "9.9.2", "--success-rate", "0.5")
    failed = local_platform.invoke("helm.deploy", "--env", "local", "--release", "api", "--image-tag", "9.9.2",
                                   check=False)
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert "the rollout of tbyte/api is Degraded" in failed.stderr and "the stable version keeps serving" in failed.stderr
    state = rollout(local_platform, "api")
    assert state["phase"] == "Degraded" and "RolloutAborted" in state["message"]
    assert {m["metric"]: (m["phase"], m["value"]) for m in state["measurements"]}["success-rate"] == ("Failed", "0.5")
    serving = replica_sets(local_platform, "api")
    assert serving["9.9.1"] == 4 and serving.get("9.9.2", 0) == 0


def helm_revisions(platform, release: str) -> dict[int, str]:
    """{revision: status} of a release, from the records helm keeps in the cluster."""
    history = platform.kubectl("get", "secrets", "-n", "tbyte", "-l", f"owner=helm,name={release}")["items"]
    return {int(item["metadata"]["labels"]["version"]): item["metadata"]["labels"]["status"] for item in history}


def test_rollback_restores_the_previous_revision(local_platform):
    before = helm_revisions(local_platform, "api")
    previous = sorted(before)[-2]  # the 9.9.1 release, before the failed canary
    local_platform.invoke("helm.rollback", "--env", "local", "--release", "api", "--revision", str(previous))
    after = helm_revisions(local_platform, "api")
    assert after[max(before) + 1] == "deployed" and after[max(before)] == "superseded"
    assert rollout(local_platform, "api")["phase"] == "Healthy"
    assert replica_sets(local_platform, "api")["9.9.1"] == 4, "the revision before the failed canary runs again"


def test_a_release_the_api_server_rejects_fails_with_its_message(local_platform, tmp_path):
    outputs = json.loads(local_platform.invoke("output", "--env", "local", "--json").stdout)
    outputs["vpc"]["vpc_cidr"] = "10.10.0.0/99"  # passes the chart's schema; only the API server knows better
    ports = json.loads((Path(local_platform.kubeconfig).parent / "run" / "ports.json").read_text())
    outputs["cluster"] = {"canary_signals_url": f"http://127.0.0.1:{ports['canary-signals']}/canary"}
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(outputs))
    rejected = local_platform.invoke("helm.deploy", "--env", "local", "--release", "frontend", "--outputs-file",
                                     str(path), check=False)
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert "NetworkPolicy" in rejected.stderr + rejected.stdout and "10.10.0.0/99" in rejected.stderr + rejected.stdout
    assert "nothing was deployed" in rejected.stderr
    state = rollout(local_platform, "frontend")
    assert state["phase"] == "Healthy", "the release as it was still serves"


def test_down_removes_everything(local_platform):
    local_platform.invoke("doctor.k8s", "--env", "local", check=False)  # the doctor keeps a kubeconfig of it
    doctor_folder = paths.TOOLCHAIN / "doctor" / f"local-{local_platform.env['INVOKE_TBYTE_KUBE_PORT']}"
    assert (doctor_folder / "kubeconfig").exists()
    local_platform.invoke("destroy", "--env", "local")
    assert inventory(local_platform.emulator) == {
        "vpcs": 0, "clusters": [], "nodegroups": [], "roles": [], "databases": [], "caches": [], "repositories": [],
        "web_acls": [], "alarms": 0, "dashboards": [], "topics": [], "vaults": []}
    local_platform.invoke("down")
    assert local_platform.emulator.status() == {"running": False, "endpoint": local_platform.emulator.endpoint,
                                                "pid": None}
    status = json.loads(local_platform.invoke("cluster.status", "--json").stdout)
    assert not any(component["running"] for component in status["components"].values())
    assert not Path(local_platform.kubeconfig).exists(), "down removes the control plane's data and certificates"
    assert not doctor_folder.exists(), "down removes what the doctor kept of the platform"
    working_copies = paths.TOOLCHAIN / "terragrunt-cache" / f"local-{local_platform.env['INVOKE_TBYTE_EMULATOR_PORT']}"
    assert not working_copies.exists(), "down removes Terragrunt's working copies of the stacks"
