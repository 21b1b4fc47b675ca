"""B2 "no logs in CloudWatch" (AWS040-AWS045): the log groups the platform writes to (VPC flow logs, the EKS
control plane, RDS exports) exist, expire, are encrypted with a key whose policy lets CloudWatch Logs use it for
that group, the delivery role may write to them, the flow logs report a successful delivery, and the cluster
sends its control-plane logs at all."""

from __future__ import annotations

import json

from tbyte.doctor.actions import AwsCall
from tbyte.doctor.aws import policies
from tbyte.doctor.aws.inventory import Inventory
from tbyte.doctor.aws.policies import Principal
from tbyte.doctor.findings import Finding

WRITE = ("logs:CreateLogStream", "logs:PutLogEvents")
CONTEXT = "kms:EncryptionContext:aws:logs:arn"
CONTROL_PLANE = ("api", "audit", "authenticator", "controllerManager", "scheduler")


def group_arn(inventory: Inventory, name: str) -> str:
    return f"arn:aws:logs:{inventory.region}:{inventory.env.account_id}:log-group:{name}"


def expected_groups(inventory: Inventory) -> dict[str, str]:
    """{group name: who writes it} for what the platform's resources are configured to send."""
    found = {}
    for flow in inventory.flow_logs:
        if flow.get("LogDestinationType") == "cloud-watch-logs":
            name = flow.get("LogGroupName") or flow["LogDestination"].split(":log-group:")[1].removesuffix(":*")
            found[name] = f"flow log {flow['FlowLogId']}"
    for cluster in inventory.clusters:
        enabled = [t for entry in (cluster.get("logging") or {}).get("clusterLogging") or [] if entry.get("enabled")
                   for t in entry.get("types") or []]
        if enabled:
            found[f"/aws/eks/{cluster['name']}/cluster"] = f"EKS cluster {cluster['name']}"
    for database in inventory.databases:
        for kind in database.get("EnabledCloudwatchLogsExports") or []:
            found[f"/aws/rds/instance/{database['DBInstanceIdentifier']}/{kind}"] = \
                f"database {database['DBInstanceIdentifier']}"
    return found


def logs_principal(inventory: Inventory) -> Principal:
    return Principal(service=f"logs.{inventory.region}.amazonaws.com")


def key_lets_logs(inventory: Inventory, key: str, name: str) -> bool:
    return policies.allows(inventory.key_policy(key), "kms:GenerateDataKey", "*", logs_principal(inventory),
                           {CONTEXT: group_arn(inventory, name)})


def key_for(inventory: Inventory, name: str) -> str | None:
    """The environment's KMS key whose policy lets CloudWatch Logs use it for this group."""
    kms = inventory.client("kms")
    prefix = f"alias/tbyte-{inventory.env.name}-"
    for alias in kms.list_aliases().get("Aliases", []):
        if alias["AliasName"].startswith(prefix) and alias.get("TargetKeyId") and \
                key_lets_logs(inventory, alias["TargetKeyId"], name):
            return kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["Arn"]
    return None


def analyze(inventory: Inventory) -> list[Finding]:
    retention = int(inventory.env.values.get("log_retention_days", 30))
    found = []
    expected = expected_groups(inventory)
    for name, writer in sorted(expected.items()):
        if name not in inventory.log_groups:
            key = key_for(inventory, name)
            actions = (AwsCall.of("logs", "CreateLogGroup", logGroupName=name, **({"kmsKeyId": key} if key else {})),
                       AwsCall.of("logs", "PutRetentionPolicy", logGroupName=name, retentionInDays=retention))
            found.append(Finding("AWS040", "critical", f"log group {name}", "the log group does not exist",
                                 (f"{writer} sends its logs there", "the platform's delivery roles may not create "
                                  "groups, so nothing is written"),
                                 "recreate it as the platform made it (encrypted, expiring); `invoke plan` of its "
                                 "stack then shows only its tags to restore", actions))
    for name, group in sorted(inventory.log_groups.items()):
        if name in expected or f"tbyte-{inventory.env.name}" in name:
            found += _group(inventory, name, group, retention)
    found += _delivery(inventory)
    found += _control_plane(inventory)
    return found


def _group(inventory: Inventory, name: str, group: dict, retention: int) -> list[Finding]:
    found = []
    if not group.get("retentionInDays"):
        found.append(Finding("AWS041", "warning", f"log group {name}", "its events never expire",
                             ("no retention policy",), f"set the environment's retention ({retention} days)",
                             (AwsCall.of("logs", "PutRetentionPolicy", logGroupName=name, retentionInDays=retention),)))
    key = group.get("kmsKeyId")
    if key and not key_lets_logs(inventory, key, name):
        policy = policies.document(inventory.key_policy(key))
        statement = {"Sid": "CloudWatchLogsUseFor" + name.strip("/").replace("/", "-")[:60], "Effect": "Allow",
                     "Principal": {"Service": logs_principal(inventory).service},
                     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                "kms:Describe*"], "Resource": "*",
                     "Condition": {"ArnLike": {CONTEXT: group_arn(inventory, name)}}}
        found.append(Finding("AWS042", "critical", f"log group {name}",
                             "its KMS key does not let CloudWatch Logs use it for this group",
                             (f"key {key}: no statement allows {logs_principal(inventory).service} "
                              f"kms:GenerateDataKey with {CONTEXT} {group_arn(inventory, name)}",
                              "CloudWatch Logs then refuses every event written to the group"),
                             "add the statement the kms-key module writes for the group's ARN",
                             (AwsCall.of("kms", "PutKeyPolicy", KeyId=key, PolicyName="default", Policy=json.dumps(
                                 {**policy, "Statement": [*policies.statements(policy), statement]})),)))
    return found


def _delivery(inventory: Inventory) -> list[Finding]:
    found = []
    for flow in inventory.flow_logs:
        if flow.get("LogDestinationType") != "cloud-watch-logs":
            continue
        name = flow.get("LogGroupName") or flow["LogDestination"].split(":log-group:")[1].removesuffix(":*")
        role_arn = flow.get("DeliverLogsPermissionArn") or ""
        role = inventory.roles.get(role_arn.split("/")[-1]) if role_arn else None
        if role is not None:
            who = Principal(arn=role["Arn"], account=role["Arn"].split(":")[4])
            stream = f"{group_arn(inventory, name)}:log-stream:eni-0"
            documents = [*role["Inline"].values(), *role["Attached"].values()]
            missing = [a for a in WRITE if not any(policies.allows(d, a, stream, who) for d in documents)]
            if missing:
                grant = {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents",
                                                  "logs:DescribeLogStreams"],
                    "Resource": f"{group_arn(inventory, name)}:*"}]}
                found.append(Finding("AWS043", "critical", f"role {role['RoleName']}",
                                     f"it may not write the flow logs to {name}",
                                     (f"missing {', '.join(missing)} on {group_arn(inventory, name)}:*",),
                                     "give the delivery role its write permissions back (the vpc module's "
                                     "write-flow-logs policy)",
                                     (AwsCall.of("iam", "PutRolePolicy", RoleName=role["RoleName"],
                                                 PolicyName="write-flow-logs", PolicyDocument=json.dumps(grant)),)))
        if flow.get("DeliverLogsStatus") == "FAILED":
            found.append(Finding("AWS044", "critical", f"flow log {flow['FlowLogId']}", "its delivery fails",
                                 (f"DeliverLogsStatus FAILED: {flow.get('DeliverLogsErrorMessage', '?')}",
                                  f"destination {name}, role {role_arn or 'none'}"),
                                 "the group, its key policy and the role's permissions are the usual causes (their "
                                 "own findings, when any); once they are right, delivery resumes by itself"))
    return found


def _control_plane(inventory: Inventory) -> list[Finding]:
    found = []
    for cluster in inventory.clusters:
        enabled = {t for entry in (cluster.get("logging") or {}).get("clusterLogging") or [] if entry.get("enabled")
                   for t in entry.get("types") or []}
        missing = [kind for kind in ("api", "audit", "authenticator") if kind not in enabled]
        if missing:
            found.append(Finding("AWS045", "warning", f"EKS cluster {cluster['name']}",
                                 f"control-plane logs off: {', '.join(missing)}",
                                 (f"enabled: {', '.join(sorted(enabled)) or 'none'}",),
                                 "turn the control-plane logs on (the eks module enables all five)",
                                 (AwsCall.of("eks", "UpdateClusterConfig", name=cluster["name"], logging={
                                     "clusterLogging": [{"types": list(CONTROL_PLANE), "enabled": True}]}),)))
    return found
