import json

from tests.modules.conftest import case_file

DEPLOY = "arn:aws:iam::123456789012:role/tbyte-dev-github-deploy"
NODES = "arn:aws:iam::123456789012:role/tbyte-dev-nodes"
WRITE = {"ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"}
READ = {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}


def _planned(plan, address):
    return plan.resource_changes[address]["change"]["after"]


def _as_set(value):
    return {value} if isinstance(value, str) else set(value)


def test_only_the_deploy_role_pushes_and_the_nodes_pull(planner):
    plan = planner.plan("ecr", case_file("ecr", "three_services", "tfvars"))
    policy = json.loads(_planned(plan, 'aws_ecr_repository_policy.this["api"]')["policy"])
    statements = {statement["Sid"]: statement for statement in policy["Statement"]}
    assert set(statements) == {"NodesPull", "DeployRolePush", "DenyPushToOthers"}
    assert statements["NodesPull"]["Principal"] == {"AWS": NODES}
    assert _as_set(statements["NodesPull"]["Action"]) == READ
    assert statements["DeployRolePush"]["Principal"] == {"AWS": DEPLOY}
    assert _as_set(statements["DeployRolePush"]["Action"]) == WRITE | READ
    deny = statements["DenyPushToOthers"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"}
    assert _as_set(deny["Action"]) == WRITE
    assert deny["Condition"] == {"StringNotEquals": {"aws:PrincipalArn": [DEPLOY]}}


def test_without_push_roles_nobody_can_push(planner):
    plan = planner.plan("ecr", case_file("ecr", "nobody_pushes", "tfvars"))
    policy = json.loads(_planned(plan, 'aws_ecr_repository_policy.this["api"]')["policy"])
    (deny,) = policy["Statement"]
    assert deny["Effect"] == "Deny" and "Condition" not in deny and _as_set(deny["Action"]) == WRITE


def test_lifecycle_expires_untagged_images_and_keeps_the_newest_tagged_ones(planner):
    plan = planner.plan("ecr", case_file("ecr", "three_services", "tfvars"))
    untagged, tagged = json.loads(_planned(plan, 'aws_ecr_lifecycle_policy.this["frontend"]')["policy"])["rules"]
    assert untagged["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                     "countNumber": 7}
    assert tagged["selection"] == {"tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan",
                                   "countNumber": 30}
    assert untagged["action"] == tagged["action"] == {"type": "expire"}
    assert (untagged["rulePriority"], tagged["rulePriority"]) == (1, 2)
