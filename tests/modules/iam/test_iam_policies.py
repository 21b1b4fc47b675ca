"""Trust and permission policies, parsed from the planned JSON (the YAML inventories cannot look inside JSON strings)."""

import json
from fnmatch import fnmatchcase

import pytest

from tests.modules.conftest import case_file

ACCOUNT = "123456789012"  # moto's account
REGION = "eu-central-1"
GITHUB = "module.github[0]"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/tbyte-dev-role-boundary"
STATE_BUCKET_OBJECTS = "arn:aws:s3:::tbyte-terraform-state-dev/*"


@pytest.fixture(scope="module")
def plans(planner):
    return {case: planner.plan("iam", case_file("iam", case, "tfvars")) for case in ("with_github", "custom_bindings")}


def planned(plan, address: str) -> dict:
    return plan.resource_changes[address]["change"]["after"]


def document(plan, address: str, attribute: str = "policy") -> dict:
    value = planned(plan, address)[attribute]
    assert value, f"{address}.{attribute} is not known at plan time"
    return json.loads(value)


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def statements(policy: dict) -> dict:
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def covers(statement: dict, action: str) -> bool:
    """Whether the statement's Action (or NotAction) takes in `action` (IAM matching: case-insensitive globs)."""
    if "NotAction" in statement:
        return not any(fnmatchcase(action.lower(), p.lower()) for p in as_list(statement["NotAction"]))
    return any(fnmatchcase(action.lower(), p.lower()) for p in as_list(statement["Action"]))


def allowing(policy: dict, action: str) -> list[dict]:
    return [s for s in policy["Statement"] if s["Effect"] == "Allow" and covers(s, action)]


def denying(policy: dict, action: str) -> list[dict]:
    return [s for s in policy["Statement"] if s["Effect"] == "Deny" and covers(s, action)]


def trust(plan, role: str) -> dict:
    [statement] = document(plan, f'{GITHUB}.aws_iam_role.this["{role}"]', "assume_role_policy")["Statement"]
    return statement


def deploy_policies(plan) -> dict[str, dict]:
    return {concern: document(plan, f'{GITHUB}.aws_iam_policy.deploy["{concern}"]')
            for concern in ("state", "network", "eks", "identity", "keys", "data")}


IRSA_CASES = [
    ("with_github", "alb_controller", "EXAMPLED539D4633E53DE1B71EXAMPLE", "kube-system", "aws-load-balancer-controller"),
    ("with_github", "external_secrets", "EXAMPLED539D4633E53DE1B71EXAMPLE", "external-secrets", "external-secrets"),
    ("with_github", "app", "EXAMPLED539D4633E53DE1B71EXAMPLE", "tbyte", "api"),
    ("custom_bindings", "alb_controller", "PROD00000000000000000000000000000", "ingress", "aws-load-balancer-controller"),
    ("custom_bindings", "app", "PROD00000000000000000000000000000", "payments", "payments-api"),
]


@pytest.mark.parametrize(("case", "role", "cluster_id", "namespace", "service_account"), IRSA_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in IRSA_CASES])
def test_irsa_trust_is_exactly_one_service_account(plans, case, role, cluster_id, namespace, service_account):
    issuer = f"oidc.eks.{REGION}.amazonaws.com/id/{cluster_id}"
    trust_policy = document(plans[case], f'module.irsa["{role}"].aws_iam_role.this', "assume_role_policy")
    [statement] = trust_policy["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{issuer}"}
    # Exactly StringEquals on sub and aud: no StringLike, no wildcard, no other service account.
    assert statement["Condition"] == {
        "StringEquals": {
            f"{issuer}:sub": [f"system:serviceaccount:{namespace}:{service_account}"],
            f"{issuer}:aud": ["sts.amazonaws.com"],
        }
    }


# Point 2 and 4: who can assume what. The trust is known when planned, also where the provider is created here.
@pytest.mark.parametrize("case", ["with_github", "custom_bindings"])
def test_each_github_role_trusts_one_kind_of_subject(plans, case):
    provider = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
    branches = ["main"] if case == "with_github" else ["main", "release/2025.1"]
    environments = ["dev"] if case == "with_github" else ["prod", "prod-eu"]
    expected = {
        "pr": ["repo:tbyte/platform:pull_request"],
        "plan": [f"repo:tbyte/platform:ref:refs/heads/{branch}" for branch in branches],
        "drift": [f"repo:tbyte/platform:ref:refs/heads/{branch}" for branch in branches],
        # No branch subject: only a job bound to a GitHub environment (reviewers, deployment branches) gets it.
        "deploy": [f"repo:tbyte/platform:environment:{environment}" for environment in environments],
    }
    for role, subjects in expected.items():
        statement = trust(plans[case], role)
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Principal"] == {"Federated": provider}
        assert statement["Condition"] == {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"],
                "token.actions.githubusercontent.com:sub": subjects,
            }
        }, role


def test_the_pull_request_role_cannot_read_the_state_decrypt_read_secrets_or_touch_locks(plans):
    plan = plans["with_github"]
    policy = document(plan, f'{GITHUB}.aws_iam_role_policy.read_only["pr"]')
    assert all(statement["Effect"] == "Deny" for statement in policy["Statement"]), "it only takes away"
    denied = statements(policy)
    assert denied["NoStateNoLocks"]["Resource"] == STATE_BUCKET_OBJECTS
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert denying(policy, action) == [denied["NoStateNoLocks"]], action
    assert denied["NoDecryption"] == {"Sid": "NoDecryption", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}
    for action in ("secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"):
        assert [s["Resource"] for s in denying(policy, action)] == ["*"], action
    # ReadOnlyAccess is its only grant.
    attachment = planned(plan, f'{GITHUB}.aws_iam_role_policy_attachment.read_only["pr"]')
    assert attachment["policy_arn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    pr_attachments = [address for address, change in plan.resource_changes.items()
                      if change["type"] == "aws_iam_role_policy_attachment"
                      and change["change"]["after"]["role"] == "tbyte-dev-github-pr"]
    assert pr_attachments == [f'{GITHUB}.aws_iam_role_policy_attachment.read_only["pr"]']


@pytest.mark.parametrize("role", ["plan", "drift"])
def test_plan_and_drift_read_and_decrypt_the_state_but_write_nothing(plans, role):
    policy = document(plans["with_github"], f'{GITHUB}.aws_iam_role_policy.read_only["{role}"]')
    granted = statements(policy)
    assert granted["StateRead"]["Action"] == "s3:GetObject"
    assert granted["StateRead"]["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*"
    assert granted["StateDecryption"]["Action"] == "kms:Decrypt"
    assert granted["StateDecryption"]["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/tbyte-terraform-state"]},
        "StringEquals": {"kms:ViaService": [f"s3.{REGION}.amazonaws.com"]},
    }
    # Plans run with -lock=false: no lock file, no state object, explicitly.
    for action in ("s3:PutObject", "s3:DeleteObject"):
        assert not allowing(policy, action), action
        assert [s["Resource"] for s in denying(policy, action)] == [STATE_BUCKET_OBJECTS], action
    # Writes of any kind: only reads are allowed.
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            assert all(a.split(":")[1].startswith(("Get", "List", "Decrypt")) for a in as_list(statement["Action"])), \
                statement
    # Secret values: only the database secret, whose value the state holds anyway (a refresh reads it).
    database = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/database-??????"
    assert granted["StateSecretValues"]["Resource"] == database
    assert granted["NoOtherSecretValues"]["NotResource"] == database
    assert granted["StateSecretDecryption"]["Condition"]["StringLike"] == {"kms:EncryptionContext:SecretARN": [database]}
    assert [s["Resource"] for s in denying(policy, "ssm:GetParameter")] == ["*"]


def test_the_deploy_role_is_scoped_to_the_platform(plans):
    policies = {concern: statements(policy) for concern, policy in deploy_policies(plans["with_github"]).items()}
    identity = policies["identity"]
    assert identity["PlatformRolesRead"]["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/tbyte-dev-*"
    assert identity["PlatformPolicies"]["Resource"] == f"arn:aws:iam::{ACCOUNT}:policy/tbyte-dev-*"
    assert "arn:aws:iam::aws:policy/AdministratorAccess" not in \
        identity["BoundedRoleAttachments"]["Condition"]["ArnLike"]["iam:PolicyARN"]
    assert policies["data"]["PlatformSecrets"]["Resource"] == \
        f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/*"
    state = policies["state"]
    assert state["StateReadWrite"]["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*"
    assert state["StateDeleteLockFilesOnly"]["Resource"] == "arn:aws:s3:::tbyte-terraform-state-dev/dev/*.tflock"
    assert state["StateEncryption"]["Condition"]["ForAnyValue:StringEquals"] == \
        {"kms:ResourceAliases": ["alias/tbyte-terraform-state"]}
    assert state["EcrPushCiImage"]["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/tbyte/ci"
    assert policies["network"]["VpcAndNodeInfrastructure"]["Condition"] == \
        {"StringEquals": {"aws:RequestedRegion": [REGION]}}


# Point 3: the deploy role cannot make itself (or a role it creates) an administrator.
BOUNDED_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
                   "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"]


@pytest.mark.parametrize("action", BOUNDED_ACTIONS)
def test_every_grant_that_changes_a_roles_permissions_requires_the_boundary(plans, action):
    grants = [s for policy in deploy_policies(plans["with_github"]).values() for s in allowing(policy, action)]
    assert grants, f"{action} is not granted at all"
    for statement in grants:
        assert statement["Condition"]["StringEquals"]["iam:PermissionsBoundary"] == [BOUNDARY], statement["Sid"]
    [deny] = denying(deploy_policies(plans["with_github"])["identity"], action)[:1]
    assert deny["Sid"] == "OnlyBoundedRoles" and deny["Resource"] == "*"
    assert deny["Condition"] == {"StringNotEquals": {"iam:PermissionsBoundary": [BOUNDARY]}}


def test_the_deploy_role_never_removes_or_changes_a_boundary_nor_the_ci_roles(plans):
    identity = deploy_policies(plans["with_github"])["identity"]
    for action in ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"):
        assert not [s for p in deploy_policies(plans["with_github"]).values() for s in allowing(p, action)]
        assert "*" in [s["Resource"] for s in denying(identity, action)]
    protected = statements(identity)["NeverChangeTheCiRolesOrTheBoundary"]
    assert protected["Effect"] == "Deny"
    assert set(protected["Resource"]) == {
        *(f"arn:aws:iam::{ACCOUNT}:role/tbyte-dev-github-{role}" for role in ("pr", "plan", "drift", "deploy")),
        f"arn:aws:iam::{ACCOUNT}:policy/tbyte-dev-github-deploy-*",
        BOUNDARY,
    }
    for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:PutRolePolicy",
                   "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"):
        assert covers(protected, action), action


def test_the_boundary_keeps_bounded_roles_out_of_iam_sts_and_s3(plans):
    boundary = document(plans["with_github"], f"{GITHUB}.aws_iam_policy.role_boundary")
    assert all(statement["Effect"] == "Allow" for statement in boundary["Statement"])
    for action in ("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateUser",
                   "iam:CreateAccessKey", "iam:PassRole", "sts:AssumeRole", "s3:GetObject",
                   "organizations:LeaveOrganization", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"):
        assert not allowing(boundary, action), action
    for action in ("iam:CreateServiceLinkedRole", "ec2:AuthorizeSecurityGroupIngress", "eks:DescribeCluster",
                   "logs:PutLogEvents", "kms:Decrypt", "elasticloadbalancing:CreateLoadBalancer", "ecr:BatchGetImage"):
        assert allowing(boundary, action), action
    [secrets] = allowing(boundary, "secretsmanager:GetSecretValue")
    assert secrets["Resource"] == f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/*"


KEY_MANAGEMENT = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource",
                  "kms:UntagResource", "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:CreateAlias"]
KEYS = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*"


@pytest.mark.parametrize("action", KEY_MANAGEMENT)
def test_key_management_only_on_the_platforms_tagged_keys(plans, action):
    keys = deploy_policies(plans["with_github"])["keys"]
    grants = [s for s in allowing(keys, action) if s["Resource"] in ("*", KEYS)]
    assert grants, f"{action} is not granted on keys"
    for statement in grants:
        tags = statement["Condition"]["StringLike"]
        assert tags in ({"aws:ResourceTag/tbyte:kms-alias": ["tbyte-dev-*"]},
                        {"aws:RequestTag/tbyte:kms-alias": ["tbyte-dev-*"]}), statement["Sid"]


def test_keys_are_created_only_with_the_platform_tag_and_other_keys_are_never_adopted(plans):
    keys = statements(deploy_policies(plans["with_github"])["keys"])
    assert keys["CreatePlatformKeys"]["Action"] == "kms:CreateKey"
    assert keys["CreatePlatformKeys"]["Condition"]["StringLike"] == {"aws:RequestTag/tbyte:kms-alias": ["tbyte-dev-*"]}
    never = keys["NeverAdoptOtherKeys"]
    assert never["Effect"] == "Deny"
    assert never["Condition"] == {"ForAnyValue:StringNotLike": {"kms:ResourceAliases": ["alias/tbyte-dev-*"]}}
    assert {"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource"} <= set(never["Action"])
    assert keys["PlatformAliases"]["Resource"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/tbyte-dev-*"


# Point 5: every security-group write of the AWS Load Balancer Controller is tied to a tag.
SECURITY_GROUP_WRITES = ["ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
                         "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup", "ec2:CreateTags",
                         "ec2:DeleteTags"]


@pytest.mark.parametrize(("case", "cluster"), [("with_github", "tbyte-dev"), ("custom_bindings", "tbyte-prod-eu")])
def test_the_alb_controller_writes_only_tagged_security_groups(plans, case, cluster):
    policy = document(plans[case], 'module.irsa["alb_controller"].aws_iam_policy.this[0]')
    own_tag = {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": ["false"]}}
    for action in SECURITY_GROUP_WRITES:
        grants = allowing(policy, action)
        assert grants, action
        for statement in grants:
            if statement["Resource"] == "arn:aws:ec2:*:*:vpc/*":  # the VPC side of CreateSecurityGroup
                assert as_list(statement["Action"]) == ["ec2:CreateSecurityGroup"]
                continue
            assert statement["Resource"] == "arn:aws:ec2:*:*:security-group/*", (action, statement["Sid"])
            conditions = statement["Condition"]
            tag_keys = {key for test in conditions.values() for key in test}
            assert tag_keys & {"aws:RequestTag/elbv2.k8s.aws/cluster", "aws:ResourceTag/elbv2.k8s.aws/cluster",
                               "aws:ResourceTag/aws:eks:cluster-name"}, (action, statement["Sid"])
    rules = statements(policy)
    assert rules["CreateTaggedSecurityGroups"]["Condition"] == \
        {"Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": ["false"]}}
    assert rules["ManageOwnSecurityGroups"]["Condition"] == own_tag
    assert rules["BackendRulesOnTheClusterSecurityGroup"]["Condition"] == \
        {"StringEquals": {"aws:ResourceTag/aws:eks:cluster-name": [cluster]}}
    assert rules["TagNewSecurityGroups"]["Condition"] == {
        "StringEquals": {"ec2:CreateAction": ["CreateSecurityGroup"]},
        "Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": ["false"]},
    }


def test_external_secrets_reads_only_the_environment_prefix(plans):
    policy = statements(document(plans["with_github"], 'module.irsa["external_secrets"].aws_iam_role_policy.this[0]'))
    prefix_arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/dev/*"
    read = policy["ReadPlatformSecrets"]
    assert sorted(as_list(read["Action"])) == [
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:ListSecretVersionIds"]
    assert read["Resource"] == prefix_arn
    decrypt = policy["DecryptPlatformSecrets"]
    assert decrypt["Action"] == "kms:Decrypt"
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": [f"secretsmanager.{REGION}.amazonaws.com"]},
        "StringLike": {"kms:EncryptionContext:SecretARN": [prefix_arn]},
    }
    assert set(policy) == {"ReadPlatformSecrets", "DecryptPlatformSecrets"}


def test_app_reads_only_its_database_secret(plans):
    policy = statements(document(plans["custom_bindings"], 'module.irsa["app"].aws_iam_role_policy.this[0]'))
    secret_arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:tbyte/prod/payments-db-??????"
    assert policy["ReadDatabaseSecret"]["Resource"] == secret_arn
    assert sorted(as_list(policy["ReadDatabaseSecret"]["Action"])) == [
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    # secrets_kms_key_arns narrows decryption to the given key.
    assert policy["DecryptDatabaseSecret"]["Resource"] == \
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert policy["DecryptDatabaseSecret"]["Condition"]["StringLike"] == {"kms:EncryptionContext:SecretARN": [secret_arn]}


@pytest.mark.parametrize("case", ["with_github", "custom_bindings"])
def test_only_the_boundary_names_whole_services(plans, case):
    plan = plans[case]
    for address, change in plan.resource_changes.items():
        if change["type"] not in ("aws_iam_policy", "aws_iam_role_policy") or address.endswith(".role_boundary"):
            continue
        for statement in document(plan, address)["Statement"]:
            if statement["Effect"] == "Allow":
                for action in as_list(statement["Action"]):
                    assert action != "*" and not action.endswith(":*"), f"{address}: {action}"


def test_the_cluster_autoscaler_scales_only_the_node_groups_of_its_cluster(plans):
    policy = document(plans["with_github"], 'module.irsa["cluster-autoscaler"].aws_iam_role_policy.this[0]')
    for action in ("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"):
        (statement,) = allowing(policy, action)
        assert statement["Condition"] == {
            "StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/tbyte-dev": ["owned"]}}
    (describe,) = allowing(policy, "eks:DescribeNodegroup")
    assert describe["Resource"] == f"arn:aws:eks:{REGION}:{ACCOUNT}:nodegroup/tbyte-dev/*/*"
    assert not allowing(policy, "autoscaling:UpdateAutoScalingGroup")
    assert not allowing(policy, "ec2:TerminateInstances")


def test_grafana_only_reads_cloudwatch(plans):
    policy = document(plans["with_github"], 'module.irsa["grafana"].aws_iam_role_policy.this[0]')
    actions = {action for statement in policy["Statement"] for action in as_list(statement["Action"])}
    verbs = ("Describe", "Get", "List", "StartQuery", "StopQuery")
    assert actions and all(action.split(":")[1].startswith(verbs) for action in actions), actions
    (logs,) = allowing(policy, "logs:StartQuery")
    assert logs["Resource"] == f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:*"
