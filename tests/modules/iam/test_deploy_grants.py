"""The deploy role's grants for the stacks of issue 14 (ElastiCache, ECR, the edge, alarms and dashboards, AWS
Backup), read from the planned policy documents:

- each new statement exactly: its actions, its resources and its conditions;
- nothing broader: no other statement of the deploy role allows an action of those services;
- the grants follow the inputs (repositories, domain, hosted zone, copy region), and disappear without them;
- what the stacks' own modules plan (names, keys and aliases, log groups, the backup role, the inline policy on
  the application role) falls within the grants: planned from the modules' own test cases, for `tbyte-prod`.
"""

import json
import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from tests.modules.conftest import case_file
from tests.modules.iam.test_iam_policies import as_list, covers, deploy_policies, document

ACCOUNT = "123456789012"  # moto's account
REGION = "eu-central-1"
COPY_REGION = "eu-west-1"
GITHUB = "module.github[0]"
PREFIX = "tbyte-prod"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/{PREFIX}-role-boundary"
DOMAIN = "tbyte.example.com"
ZONE = "Z0123456789ABCDEFGHIJ"  # the edge module's test zone
REPOSITORIES = ["tbyte/frontend", "tbyte/api", "tbyte/worker"]

# What terragrunt/_envcommon/iam.hcl passes for prod (env.hcl: services, domain, zone, backup copy region).
PROD = {
    "name_prefix": PREFIX,
    "secrets_prefix": "tbyte/prod/",
    "database_secret_name": "tbyte/prod/database",
    "github_environments": ["prod"],
    "state_key_prefix": "prod/",
    "github_ecr_repositories": REPOSITORIES,
    "github_copy_regions": [COPY_REGION],
    "github_domain_name": DOMAIN,
    "github_hosted_zone_id": ZONE,
    "github_state_secret_names": ["tbyte/prod/redis"],
}


def arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


@pytest.fixture(scope="module")
def plans(planner):
    base = case_file("iam", "with_github", "tfvars")
    return {
        "prod": planner.plan("iam", base, **PROD),
        # A domain whose zone is not known: any zone, still only the domain's names and A/CNAME records.
        "no_zone": planner.plan("iam", base, **{**PROD, "github_hosted_zone_id": None}),
        # No repository, no domain, no copy region (with_github names only tbyte/ci).
        "bare": planner.plan("iam", base, github_ecr_repositories=[]),
    }


@pytest.fixture(scope="module")
def prod(plans) -> dict[str, dict]:
    return deploy_policies(plans["prod"])


def statement(policies: dict[str, dict], concern: str, sid: str) -> dict:
    [found] = [s for s in policies[concern]["Statement"] if s.get("Sid") == sid]
    return found


def allows(policies: dict[str, dict]) -> list[dict]:
    return [s for policy in policies.values() for s in policy["Statement"] if s["Effect"] == "Allow"]


def assert_exactly(found: dict, actions, resources, condition=None) -> None:
    """The statement allows exactly these actions on exactly these resources, under exactly this condition."""
    assert found["Effect"] == "Allow"
    assert sorted(as_list(found["Action"])) == sorted(actions), found["Sid"]
    assert sorted(as_list(found["Resource"])) == sorted(as_list(resources)), found["Sid"]
    assert found.get("Condition") == condition, found["Sid"]


def in_region(*regions) -> dict:
    return {"StringEquals": {"aws:RequestedRegion": list(regions)}}


# ---------------------------------------------------------------------------------------------------------------
# Each new statement, exactly.

CACHE = ["cluster", "parametergroup", "replicationgroup", "snapshot", "subnetgroup"]


def test_elasticache(prod):
    assert_exactly(
        statement(prod, "data", "CreateEncryptedPlatformCaches"), ["elasticache:CreateReplicationGroup"],
        arn("elasticache", f"replicationgroup:{PREFIX}*"),
        {"Bool": {"elasticache:AtRestEncryptionEnabled": ["true"], "elasticache:TransitEncryptionEnabled": ["true"],
                  "elasticache:AuthTokenEnabled": ["true"]}})
    # The group's other parts, without the condition keys only the replication group carries; not the group itself.
    assert_exactly(statement(prod, "data", "PlatformCacheParts"), ["elasticache:CreateReplicationGroup"],
                   [arn("elasticache", f"{kind}:{PREFIX}*") for kind in ("cluster", "parametergroup", "subnetgroup")])
    assert_exactly(statement(prod, "data", "PlatformCaches"), [
        "elasticache:AddTagsToResource", "elasticache:CreateCacheParameterGroup", "elasticache:CreateCacheSubnetGroup",
        "elasticache:DecreaseReplicaCount", "elasticache:DeleteCacheParameterGroup",
        "elasticache:DeleteCacheSubnetGroup", "elasticache:DeleteReplicationGroup", "elasticache:DescribeCacheClusters",
        "elasticache:DescribeCacheParameterGroups", "elasticache:DescribeCacheParameters",
        "elasticache:DescribeCacheSubnetGroups", "elasticache:DescribeReplicationGroups",
        "elasticache:IncreaseReplicaCount", "elasticache:ListTagsForResource", "elasticache:ModifyCacheParameterGroup",
        "elasticache:ModifyCacheSubnetGroup", "elasticache:ModifyReplicationGroup",
        "elasticache:RemoveTagsFromResource", "elasticache:ResetCacheParameterGroup",
    ], [arn("elasticache", f"{kind}:{PREFIX}*") for kind in CACHE])


def test_ecr(prod):
    repositories = [arn("ecr", f"repository/{name}") for name in REPOSITORIES]
    assert_exactly(statement(prod, "registry", "PlatformRepositories"), [
        "ecr:CreateRepository", "ecr:DeleteLifecyclePolicy", "ecr:DeleteRepository", "ecr:DeleteRepositoryPolicy",
        "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
        "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:PutLifecyclePolicy",
        "ecr:SetRepositoryPolicy", "ecr:TagResource", "ecr:UntagResource",
    ], repositories)
    assert_exactly(statement(prod, "registry", "EcrPushImages"), [
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
        "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage",
        "ecr:UploadLayerPart",
    ], repositories)
    assert_exactly(statement(prod, "registry", "EcrLogin"), ["ecr:GetAuthorizationToken"], "*")


def test_wafv2_and_its_logs(prod):
    web_acls = arn("wafv2", f"regional/webacl/{PREFIX}*/*")
    waf_logs = arn("logs", f"log-group:aws-waf-logs-{PREFIX}*")
    assert_exactly(statement(prod, "edge", "PlatformWebAcls"), [
        "wafv2:CreateWebACL", "wafv2:DeleteLoggingConfiguration", "wafv2:DeleteWebACL",
        "wafv2:GetLoggingConfiguration", "wafv2:GetWebACL", "wafv2:ListTagsForResource", "wafv2:TagResource",
        "wafv2:UntagResource", "wafv2:UpdateWebACL",
    ], web_acls)
    assert_exactly(statement(prod, "edge", "PlatformWebAclLogging"), ["wafv2:PutLoggingConfiguration"], web_acls,
                   {"ArnLike": {"wafv2:LogDestinationResource": [waf_logs]}})
    assert_exactly(statement(prod, "edge", "ManagedRuleGroupsRead"),
                   ["wafv2:DescribeManagedRuleGroup", "wafv2:ListAvailableManagedRuleGroups"], "*", in_region(REGION))
    assert_exactly(statement(prod, "edge", "WafLogDelivery"), [
        "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeResourcePolicies", "logs:GetLogDelivery",
        "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    ], "*", in_region(REGION))
    # The WAF's log group (aws-waf-logs-<name>) and ElastiCache's (/aws/elasticache/<name>/...) join the others.
    groups = as_list(statement(prod, "data", "PlatformLogGroups")["Resource"])
    assert sorted(groups) == sorted([
        arn("logs", f"log-group:/aws/*/{PREFIX}*"), arn("logs", f"log-group:/aws/*/{PREFIX}*:*"),
        waf_logs, f"{waf_logs}:*",
    ])


def test_certificate_and_records_of_the_domain_in_its_zone(prod):
    names = [DOMAIN, f"*.{DOMAIN}"]
    assert_exactly(statement(prod, "edge", "RequestDomainCertificates"), ["acm:RequestCertificate"], "*", {
        "ForAllValues:StringLike": {"acm:DomainNames": names},
        "StringEquals": {"acm:ValidationMethod": ["DNS"], "aws:RequestedRegion": [REGION]},
    })
    assert_exactly(statement(prod, "edge", "DomainCertificates"), [
        "acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate",
        "acm:RemoveTagsFromCertificate",
    ], arn("acm", "certificate/*"))
    zone = f"arn:aws:route53:::hostedzone/{ZONE}"
    assert_exactly(statement(prod, "edge", "DomainRecords"), ["route53:ChangeResourceRecordSets"], zone, {
        "ForAllValues:StringLike": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": names},
        "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME"]},
    })
    assert_exactly(statement(prod, "edge", "DomainZoneRead"),
                   ["route53:GetHostedZone", "route53:ListResourceRecordSets"], zone)
    assert_exactly(statement(prod, "edge", "RecordChanges"), ["route53:GetChange"], "arn:aws:route53:::change/*")


def test_without_a_known_zone_any_zone_but_still_only_the_domains_records(plans):
    policies = deploy_policies(plans["no_zone"])
    records = statement(policies, "edge", "DomainRecords")
    assert records["Resource"] == "arn:aws:route53:::hostedzone/*"
    assert records["Condition"]["ForAllValues:StringLike"] == \
        {"route53:ChangeResourceRecordSetsNormalizedRecordNames": [DOMAIN, f"*.{DOMAIN}"]}
    assert records["Condition"]["ForAllValues:StringEquals"] == \
        {"route53:ChangeResourceRecordSetsRecordTypes": ["A", "CNAME"]}


def test_alarms_dashboards_and_their_topic(prod):
    alarms = arn("cloudwatch", f"alarm:{PREFIX}*")
    topics = arn("sns", f"{PREFIX}*")
    assert_exactly(statement(prod, "operations", "PutPlatformAlarms"), ["cloudwatch:PutMetricAlarm"], alarms,
                   {"ForAllValues:StringLike": {"cloudwatch:AlarmActions": [topics]}})
    assert_exactly(statement(prod, "operations", "PlatformAlarms"), [
        "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource", "cloudwatch:UntagResource",
    ], alarms)
    assert_exactly(statement(prod, "operations", "PlatformDashboards"),
                   ["cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard"],
                   f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{PREFIX}*")
    assert_exactly(statement(prod, "operations", "PlatformTopics"), [
        "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
        "sns:ListTagsForResource", "sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:UntagResource",
    ], topics)
    assert_exactly(statement(prod, "operations", "TopicSubscriptions"),
                   ["sns:GetSubscriptionAttributes", "sns:Unsubscribe"], "*", in_region(REGION))


def test_aws_backup_in_both_regions(prod):
    assert_exactly(statement(prod, "operations", "PlatformBackupVaults"), [
        "backup:CreateBackupVault", "backup:DeleteBackupVault", "backup:DeleteBackupVaultAccessPolicy",
        "backup:DeleteBackupVaultNotifications", "backup:DescribeBackupVault", "backup:GetBackupVaultAccessPolicy",
        "backup:GetBackupVaultNotifications", "backup:ListTags", "backup:PutBackupVaultAccessPolicy",
        "backup:PutBackupVaultNotifications", "backup:TagResource", "backup:UntagResource",
    ], [arn("backup", f"backup-vault:{PREFIX}*", region) for region in (REGION, COPY_REGION)])
    assert_exactly(statement(prod, "operations", "BackupVaultStorage"), ["backup-storage:MountCapsule"], "*",
                   in_region(REGION, COPY_REGION))
    assert_exactly(statement(prod, "operations", "BackupPlansAndSelections"), [
        "backup:CreateBackupPlan", "backup:CreateBackupSelection", "backup:DeleteBackupPlan",
        "backup:DeleteBackupSelection", "backup:GetBackupPlan", "backup:GetBackupSelection", "backup:ListTags",
        "backup:TagResource", "backup:UntagResource", "backup:UpdateBackupPlan",
    ], arn("backup", "backup-plan:*"))
    # The selection passes the backup role, and only it, to AWS Backup, and only to it.
    assert_exactly(statement(prod, "identity", "PassTheBackupRoleToAwsBackup"), ["iam:PassRole"],
                   f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-backup",
                   {"StringEquals": {"iam:PassedToService": ["backup.amazonaws.com"]}})
    attachable = statement(prod, "identity", "BoundedRoleAttachments")["Condition"]["ArnLike"]["iam:PolicyARN"]
    for name in ("AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"):
        assert f"arn:aws:iam::aws:policy/service-role/{name}" in attachable


def test_the_platforms_keys_in_the_copy_region_under_the_same_rules(prod):
    keys = [arn("kms", "key/*", region) for region in (REGION, COPY_REGION)]
    tagged = {"StringLike": {"aws:ResourceTag/tbyte:kms-alias": [f"{PREFIX}-*"]}}
    create = statement(prod, "keys", "CreatePlatformKeys")
    assert create["Condition"] == {"StringLike": {"aws:RequestTag/tbyte:kms-alias": [f"{PREFIX}-*"]},
                                   **in_region(REGION, COPY_REGION)}
    for sid in ("ReadKeys", "ManagePlatformKeys", "GrantsForAwsServices", "NeverAdoptOtherKeys"):
        assert sorted(as_list(statement(prod, "keys", sid)["Resource"])) == sorted(keys), sid
    assert sorted(as_list(statement(prod, "keys", "PlatformAliases")["Resource"])) == \
        sorted(arn("kms", f"alias/{PREFIX}-*", region) for region in (REGION, COPY_REGION))
    assert statement(prod, "keys", "ManagePlatformKeys")["Condition"] == tagged
    assert_exactly(statement(prod, "keys", "RetireGrantsOfPlatformKeys"), ["kms:RetireGrant"], keys, tagged)
    assert_exactly(statement(prod, "keys", "BackupVaultKeys"), ["kms:Decrypt", "kms:GenerateDataKey"], keys, {
        "StringEquals": {"kms:ViaService": [f"backup.{region}.amazonaws.com" for region in (REGION, COPY_REGION)]},
        **tagged,
    })
    never = statement(prod, "keys", "NeverAdoptOtherKeys")
    assert never["Effect"] == "Deny" and "kms:RetireGrant" in never["Action"]


def test_service_linked_roles_of_the_new_services(prod):
    linked = statement(prod, "identity", "ServiceLinkedRoles")
    assert sorted(linked["Condition"]["StringEquals"]["iam:AWSServiceName"]) == [
        "autoscaling.amazonaws.com", "backup.amazonaws.com", "eks-nodegroup.amazonaws.com", "eks.amazonaws.com",
        "elasticache.amazonaws.com", "rds.amazonaws.com", "wafv2.amazonaws.com"]


def test_the_redis_secret_is_the_platforms_and_its_value_readable_by_plan_and_drift(plans, prod):
    secrets = statement(prod, "data", "PlatformSecrets")
    assert secrets["Resource"] == arn("secretsmanager", "secret:tbyte/prod/*")
    redis = arn("secretsmanager", "secret:tbyte/prod/redis-??????")
    for role in ("plan", "drift"):
        reader = {s["Sid"]: s for s in document(plans["prod"], f'{GITHUB}.aws_iam_role_policy.read_only["{role}"]')[
            "Statement"]}
        assert redis in as_list(reader["StateSecretValues"]["Resource"])
        assert redis in as_list(reader["NoOtherSecretValues"]["NotResource"])


# ---------------------------------------------------------------------------------------------------------------
# Nothing broader: the statements above are the only ones allowing these services' actions.

ONLY = {
    "elasticache": {"CreateEncryptedPlatformCaches", "PlatformCacheParts", "PlatformCaches"},
    "ecr": {"EcrLogin", "EcrPushImages", "PlatformRepositories"},
    "wafv2": {"PlatformWebAcls", "PlatformWebAclLogging", "ManagedRuleGroupsRead"},
    "acm": {"RequestDomainCertificates", "DomainCertificates"},
    "route53": {"DomainRecords", "DomainZoneRead", "RecordChanges"},
    "cloudwatch": {"PutPlatformAlarms", "PlatformAlarms", "PlatformDashboards"},
    "sns": {"PlatformTopics", "TopicSubscriptions"},
    "backup": {"PlatformBackupVaults", "BackupPlansAndSelections"},
    "backup-storage": {"BackupVaultStorage"},
    "logs": {"DescribeLogGroups", "PlatformLogGroups", "WafLogDelivery"},
    "iam:PassRole": {"PassPlatformRolesToPlatformServices", "PassTheBackupRoleToAwsBackup"},
}


@pytest.mark.parametrize("service", sorted(ONLY))
def test_no_other_statement_allows_these_services(prod, service):
    granting = {s["Sid"] for s in allows(prod)
                if any(str(a).lower().startswith(f"{service.lower()}:") or str(a).lower() == service.lower()
                       for a in as_list(s["Action"]))}
    assert granting == ONLY[service]


def test_every_wildcard_resource_is_region_bound_or_read_only(prod):
    """A statement on "*" is one of these, each with the reason in policies.tf; the new ones are region-bound."""
    region_bound = {"ManagedRuleGroupsRead", "WafLogDelivery", "RequestDomainCertificates", "TopicSubscriptions",
                    "BackupVaultStorage", "VpcAndNodeInfrastructure", "CreatePlatformKeys"}
    known = region_bound | {"EcrLogin", "Ec2Read", "EksRead", "AccessPoliciesRead", "DescribeRdsEngines",
                            "TagNewPlatformKeys", "ListKeys"}
    on_everything = {s["Sid"] for s in allows(prod) if "*" in as_list(s["Resource"])}
    assert on_everything == known
    for found in allows(prod):
        if found["Sid"] in region_bound:
            regions = found["Condition"]["StringEquals"]["aws:RequestedRegion"]
            assert REGION in regions and set(regions) <= {REGION, COPY_REGION}, found["Sid"]


POLICIES_TF = Path(__file__).parents[3] / "modules" / "iam" / "modules" / "github-oidc" / "policies.tf"
# The name prefixes that scope a resource: `*` right after one of them is the scoping, not a wildcard.
SCOPING = (f"{PREFIX}*", f"{PREFIX}-*", "tbyte/prod/*", "state-dev/prod/*", f"{PREFIX}-github-deploy-*",
           "snapshot:awsbackup:*")


def reason_in_source(sid: str, lines: list[str]) -> bool:
    """Whether every statement `sid` of policies.tf carries a comment: inside it, or right above it."""
    places = [index for index, line in enumerate(lines) if re.fullmatch(rf'sid\s*=\s*"{sid}"', line.strip())]
    assert places, sid
    for at in places:
        opener = next(index for index in range(at, -1, -1)
                      if lines[index].strip().startswith(("statement {", 'dynamic "statement" {')))
        closer = next(index for index in range(at, len(lines)) if lines[index].startswith("  }"))
        if not (any("#" in line for line in lines[opener:closer]) or lines[opener - 1].strip().startswith("#")):
            return False
    return True


def test_every_wildcard_resource_says_why(plans):
    """Every Allow statement of the CI roles whose resource is "*" or holds a "*" other than the platform's name
    prefix (random ids: keys, certificates, plans, changes, web ACL ids) gives its reason in policies.tf."""
    lines = POLICIES_TF.read_text().splitlines()
    plan = plans["prod"]
    documents = [document(plan, address) for address, change in plan.resource_changes.items()
                 if address.startswith(GITHUB) and change["type"] in ("aws_iam_policy", "aws_iam_role_policy")]
    wildcards = set()
    for policy in documents:
        for found in (statement for statement in policy["Statement"] if statement["Effect"] == "Allow"):
            for resource in as_list(found.get("Resource", [])) + as_list(found.get("NotResource", [])):
                for scope in SCOPING:
                    resource = resource.replace(scope, "")
                if "*" in resource:
                    wildcards.add(found["Sid"])
    assert {"EcrLogin", "ManagedRuleGroupsRead", "WafLogDelivery", "RequestDomainCertificates", "DomainCertificates",
            "RecordChanges", "TopicSubscriptions", "BackupVaultStorage", "BackupPlansAndSelections",
            "RetireGrantsOfPlatformKeys", "BackupVaultKeys", "PlatformWebAcls"} <= wildcards
    silent = sorted(sid for sid in wildcards if not reason_in_source(sid, lines))
    assert not silent, f"wildcard resources without their reason in policies.tf: {silent}"


# ---------------------------------------------------------------------------------------------------------------
# The grants follow the inputs.

def test_without_repositories_domain_or_copy_region_none_of_their_grants(plans):
    policies = deploy_policies(plans["bare"])
    assert "registry" not in policies
    text = json.dumps(policies)
    for fragment in ('"ecr:', '"acm:', '"route53:', COPY_REGION):
        assert fragment not in text, fragment
    assert statement(policies, "keys", "CreatePlatformKeys")["Condition"]["StringEquals"] == \
        {"aws:RequestedRegion": [REGION]}


# ---------------------------------------------------------------------------------------------------------------
# What the stacks' modules plan falls within the grants (each module planned from its own test case).

def allowed(policies: dict[str, dict], action: str, resource: str) -> list[str]:
    """The Sids of the Allow statements that take in the action on the resource (conditions aside)."""
    return [s["Sid"] for s in allows(policies) if covers(s, action)
            and any(fnmatchcase(resource, pattern) for pattern in as_list(s["Resource"]))]


def planned(plan, kind: str) -> dict[str, dict]:
    return {address: change["change"]["after"] for address, change in plan.resource_changes.items()
            if change["type"] == kind}


def assert_keys_are_the_platforms(prod, plan, region: str = REGION) -> None:
    keys, aliases = planned(plan, "aws_kms_key"), planned(plan, "aws_kms_alias")
    assert keys and len(keys) == len(aliases)
    for address, key in keys.items():
        tag = key["tags"]["tbyte:kms-alias"]
        assert fnmatchcase(tag, f"{PREFIX}-*"), f"{address}: tbyte:kms-alias = {tag}, CreateKey would be refused"
    for address, alias in aliases.items():
        target = region if ".copy_key" not in address else COPY_REGION
        assert allowed(prod, "kms:CreateAlias", arn("kms", alias["name"], target)), f"{address}: {alias['name']}"


def assert_log_groups_are_the_platforms(prod, plan) -> None:
    groups = planned(plan, "aws_cloudwatch_log_group")
    assert groups
    for address, group in groups.items():
        assert allowed(prod, "logs:CreateLogGroup", arn("logs", f"log-group:{group['name']}")), address


def test_the_elasticache_stack(planner, prod):
    plan = planner.plan("elasticache", case_file("elasticache", "prod_multi_az", "tfvars"))
    group = planned(plan, "aws_elasticache_replication_group")["aws_elasticache_replication_group.this"]
    assert group["at_rest_encryption_enabled"] and group["transit_encryption_enabled"]
    assert allowed(prod, "elasticache:CreateReplicationGroup",
                   arn("elasticache", f"replicationgroup:{group['replication_group_id']}")) == \
        ["CreateEncryptedPlatformCaches"]
    for kind, resource, name in (("parametergroup", "aws_elasticache_parameter_group", "name"),
                                 ("subnetgroup", "aws_elasticache_subnet_group", "name")):
        [value] = [r[name] for r in planned(plan, resource).values()]
        assert allowed(prod, "elasticache:CreateReplicationGroup", arn("elasticache", f"{kind}:{value}"))
        assert allowed(prod, "elasticache:AddTagsToResource", arn("elasticache", f"{kind}:{value}"))
    assert allowed(prod, "elasticache:DeleteReplicationGroup",
                   arn("elasticache", f"snapshot:{group['final_snapshot_identifier']}"))
    assert_keys_are_the_platforms(prod, plan)
    assert_log_groups_are_the_platforms(prod, plan)
    [secret] = planned(plan, "aws_secretsmanager_secret").values()
    assert allowed(prod, "secretsmanager:CreateSecret", arn("secretsmanager", f"secret:{secret['name']}-AbCdEf"))
    # Its inline policy on the application's IRSA role: PutRolePolicy/DeleteRolePolicy under the boundary.
    [inline] = planned(plan, "aws_iam_role_policy").values()
    role = f"arn:aws:iam::{ACCOUNT}:role/{inline['role']}"
    for action in ("iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy"):
        assert allowed(prod, action, role), action
    for sid in allowed(prod, "iam:PutRolePolicy", role) + allowed(prod, "iam:DeleteRolePolicy", role):
        assert statement(prod, "identity", sid)["Condition"] == \
            {"StringEquals": {"iam:PermissionsBoundary": [BOUNDARY]}}, sid


def test_the_ecr_stack(planner, prod):
    plan = planner.plan("ecr", case_file("ecr", "three_services", "tfvars"), key_alias=f"{PREFIX}-ecr")
    names = sorted(repository["name"] for repository in planned(plan, "aws_ecr_repository").values())
    assert names == sorted(REPOSITORIES)
    for name in names:
        for action in ("ecr:CreateRepository", "ecr:SetRepositoryPolicy", "ecr:PutLifecyclePolicy", "ecr:PutImage"):
            assert allowed(prod, action, arn("ecr", f"repository/{name}")), (action, name)
    assert_keys_are_the_platforms(prod, plan)


def test_the_ecr_modules_default_alias_is_one_the_deploy_role_may_not_create(planner):
    """Why the platform passes key_alias (terragrunt/_envcommon/ecr.hcl): `<namespace>-ecr` is no `<prefix>-*`."""
    plan = planner.plan("ecr", case_file("ecr", "three_services", "tfvars"))
    [key] = planned(plan, "aws_kms_key").values()
    assert key["tags"]["tbyte:kms-alias"] == "tbyte-ecr" and not fnmatchcase("tbyte-ecr", f"{PREFIX}-*")


def test_the_edge_stack(planner, prod):
    plan = planner.plan("edge", case_file("edge", "with_domain", "tfvars"))
    [acl] = planned(plan, "aws_wafv2_web_acl").values()
    assert acl["scope"] == "REGIONAL"
    assert allowed(prod, "wafv2:CreateWebACL", arn("wafv2", f"regional/webacl/{acl['name']}/0123-id"))
    [certificate] = planned(plan, "aws_acm_certificate").values()
    for name in [certificate["domain_name"], *certificate["subject_alternative_names"]]:
        assert any(fnmatchcase(name, pattern) for pattern in statement(prod, "edge", "RequestDomainCertificates")[
            "Condition"]["ForAllValues:StringLike"]["acm:DomainNames"]), name
    for record in planned(plan, "aws_route53_record").values():
        assert allowed(prod, "route53:ChangeResourceRecordSets", f"arn:aws:route53:::hostedzone/{record['zone_id']}")
    assert_keys_are_the_platforms(prod, plan)
    assert_log_groups_are_the_platforms(prod, plan)


def test_the_observability_stack(planner, prod):
    plan = planner.plan("observability", case_file("observability", "everything", "tfvars"))
    for alarm in planned(plan, "aws_cloudwatch_metric_alarm").values():
        assert allowed(prod, "cloudwatch:PutMetricAlarm", arn("cloudwatch", f"alarm:{alarm['alarm_name']}"))
    [dashboard] = planned(plan, "aws_cloudwatch_dashboard").values()
    assert allowed(prod, "cloudwatch:PutDashboard",
                   f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{dashboard['dashboard_name']}")
    [topic] = planned(plan, "aws_sns_topic").values()
    topic_arn = arn("sns", topic["name"])
    for action in ("sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe"):
        assert allowed(prod, action, topic_arn), action
    # The alarms may notify that topic (cloudwatch:AlarmActions).
    [actions] = statement(prod, "operations", "PutPlatformAlarms")["Condition"]["ForAllValues:StringLike"].values()
    assert any(fnmatchcase(topic_arn, pattern) for pattern in actions)
    assert_keys_are_the_platforms(prod, plan)


def test_the_backup_stack(planner, prod):
    plan = planner.plan("backup", case_file("backup", "prod_cross_region", "tfvars"), permissions_boundary_arn=BOUNDARY)
    for address, vault in planned(plan, "aws_backup_vault").items():
        region = COPY_REGION if address.endswith(".copy[0]") else REGION
        assert allowed(prod, "backup:CreateBackupVault", arn("backup", f"backup-vault:{vault['name']}", region))
    assert_keys_are_the_platforms(prod, plan)
    # The backup role: the name the PassRole grant names, the boundary, and only attachable AWS-managed policies.
    [role] = planned(plan, "aws_iam_role").values()
    assert role["permissions_boundary"] == BOUNDARY
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role['name']}"
    assert allowed(prod, "iam:PassRole", role_arn) == ["PassPlatformRolesToPlatformServices",
                                                        "PassTheBackupRoleToAwsBackup"]
    attachable = statement(prod, "identity", "BoundedRoleAttachments")["Condition"]["ArnLike"]["iam:PolicyARN"]
    for attachment in planned(plan, "aws_iam_role_policy_attachment").values():
        assert any(fnmatchcase(attachment["policy_arn"], pattern) for pattern in attachable), attachment


# ---------------------------------------------------------------------------------------------------------------
# The boundary lets the backup role do its work, and no more of RDS.

BACKUP_ROLE_WORK = ["rds:CreateDBSnapshot", "rds:CopyDBSnapshot", "rds:DescribeDBInstances", "rds:DescribeDBSnapshots",
                    "rds:AddTagsToResource", "rds:ListTagsForResource", "rds:RestoreDBInstanceFromDBSnapshot",
                    "rds:RestoreDBInstanceToPointInTime", "backup:CopyIntoBackupVault", "backup:CopyFromBackupVault",
                    "backup:DescribeBackupVault", "backup:TagResource", "tag:GetResources", "kms:CreateGrant",
                    "kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt", "ec2:DescribeSubnets"]


def test_the_boundary_lets_aws_backup_snapshot_copy_and_restore_databases(plans):
    boundary = document(plans["prod"], f"{GITHUB}.aws_iam_policy.role_boundary")
    granted = [s for s in boundary["Statement"] if s["Effect"] == "Allow"]
    for action in BACKUP_ROLE_WORK:
        assert [s for s in granted if covers(s, action)], action
    # Its own snapshots only may be deleted (recovery points expiring), in any region of the account.
    [delete] = [s for s in granted if covers(s, "rds:DeleteDBSnapshot")]
    assert delete["Resource"] == f"arn:aws:rds:*:{ACCOUNT}:snapshot:awsbackup:*"
    for action in ("rds:DeleteDBInstance", "rds:ModifyDBInstance", "rds:CreateDBInstance", "rds:DeleteDBCluster",
                   "backup:DeleteRecoveryPoint", "backup:DeleteBackupVault", "backup:StartBackupJob", "rds:*"):
        assert not [s for s in granted if covers(s, action)], action


def access_groups_for(prefix: str) -> dict:
    """tests/modules/iam/cases/access_groups.tfvars' groups and alarm, renamed for the environment."""
    return {
        "access_groups": {
            "break-glass": {"role_name": f"{prefix}-break-glass", "team": "platform", "require_mfa": True,
                            "members": ["arn:aws:iam::444455556666:user/ana.lima"], "max_session_hours": 1,
                            "break_glass": True, "description": "Emergency administration."},
            "core-read-only": {"role_name": f"{prefix}-core-read-only", "team": "core", "require_mfa": True,
                               "members": ["arn:aws:iam::444455556666:user/lea.martin"], "max_session_hours": 4,
                               "break_glass": False, "description": "Reads the team's namespaces."}},
        "break_glass_alarm": {"cloudtrail_log_group_name": "/aws/cloudtrail/tbyte",
                              "alarm_actions": [arn("sns", f"{prefix}-alarms")]},
    }


def test_the_access_groups_of_the_iam_stack(planner):
    """The tenancy's roles and the break-glass alarm: its metric filter on the account's CloudTrail log group is
    the one log group outside the prefix the deploy role may touch, and only its metric filters."""
    plan = planner.plan("iam", case_file("iam", "with_github", "tfvars"), **PROD, **access_groups_for(PREFIX))
    policies = deploy_policies(plan)
    trail = arn("logs", "log-group:/aws/cloudtrail/tbyte")
    assert_exactly(statement(policies, "operations", "AccessAlarmFilters"),
                   ["logs:DeleteMetricFilter", "logs:DescribeMetricFilters", "logs:PutMetricFilter"],
                   [trail, f"{trail}:*"])
    [metric_filter] = planned(plan, "aws_cloudwatch_log_metric_filter").values()
    assert allowed(policies, "logs:PutMetricFilter", arn("logs", f"log-group:{metric_filter['log_group_name']}"))
    assert not allowed(policies, "logs:PutRetentionPolicy", trail), "the trail's log group itself stays the account's"
    [alarm] = planned(plan, "aws_cloudwatch_metric_alarm").values()
    assert allowed(policies, "cloudwatch:PutMetricAlarm", arn("cloudwatch", f"alarm:{alarm['alarm_name']}"))
    for role in planned(plan, "aws_iam_role").values():
        if role["name"].endswith(("-break-glass", "-core-read-only")):
            assert role["permissions_boundary"] == BOUNDARY, role["name"]
            assert allowed(policies, "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/{role['name']}"), role["name"]

    no_groups = planner.plan("iam", case_file("iam", "with_github", "tfvars"), **PROD)
    assert not planned(no_groups, "aws_cloudwatch_log_metric_filter")
    assert not [s for s in allows(deploy_policies(no_groups)) if s.get("Sid") == "AccessAlarmFilters"]


def test_the_eks_access_stack(prod):
    """The access entries of the eks-access stack and their namespace-scoped policies, on the platform's clusters
    only (the entry's ARN: access-entry/<cluster>/<type>/<account>/<role>/<id>)."""
    entry = arn("eks", f"access-entry/{PREFIX}/role/{ACCOUNT}/{PREFIX}-core-read-only/8ec7a5e6-1c2b")
    for action in ("eks:CreateAccessEntry", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
                   "eks:DeleteAccessEntry", "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies"):
        assert allowed(prod, action, entry), action
        assert not allowed(prod, action, entry.replace(f"/{PREFIX}/", "/other-cluster/")), action
    assert allowed(prod, "eks:CreateAccessEntry", arn("eks", f"cluster/{PREFIX}"))
    assert allowed(prod, "eks:ListAccessPolicies", "*") == ["AccessPoliciesRead"]
