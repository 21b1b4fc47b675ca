"""What the CI trust model relies on in every environment's Terragrunt configuration (rendered offline, with the
dependencies' mocks): every role carries the platform's boundary, the AWS environments' state is encrypted with
the customer-managed state key, and the GitHub roles are wired to the environment."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.infra.graph import graph, render

ENVIRONMENTS = ("local", "dev", "stage", "prod")
AWS_ENVIRONMENTS = ("dev", "stage", "prod")
# The input that sets the boundary on the roles each stack creates.
BOUNDARY_INPUTS = {
    "vpc": "permissions_boundary_arn",  # VPC flow logs role
    "eks": "cluster_role_permissions_boundary_arn",  # EKS control-plane role
    "node-group": "permissions_boundary_arn",  # node role
    "rds": "permissions_boundary_arn",  # Enhanced Monitoring role
    "iam": "permissions_boundary_arn",  # IRSA roles; the GitHub module creates the boundary
    "backup": "permissions_boundary_arn",  # the role AWS Backup assumes
}


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], dict]:
    units = [(env, name) for env in ENVIRONMENTS for name in stacks(env)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        documents = pool.map(lambda unit: render(Environment.resolve(unit[0]), unit[1]), units)
        return dict(zip(units, documents, strict=True))


def stacks(env: str) -> dict:
    return graph(Environment.resolve(env)).stacks


def creates_a_role(stack) -> bool:
    """Whether any Terraform file the stack reads declares an IAM role."""
    return any(re.search(r'^resource "aws_iam_role" ', path.read_text(), re.M)
               for folder in stack.modules for path in (paths.ROOT / folder).glob("*.tf"))


def boundary(env: str) -> str:
    return f"arn:aws:iam::{Environment.resolve(env).account_id}:policy/tbyte-{env}-role-boundary"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_stack_that_creates_a_role_sets_the_boundary(rendered, env):
    creating = {name for name, stack in stacks(env).items() if creates_a_role(stack)}
    assert creating == set(BOUNDARY_INPUTS), "a stack that creates a role: say which input sets its boundary"
    for stack, name in BOUNDARY_INPUTS.items():
        assert rendered[(env, stack)]["inputs"][name] == boundary(env), f"{env}/{stack}"


@pytest.mark.parametrize("env", AWS_ENVIRONMENTS)
def test_the_state_of_an_aws_environment_is_encrypted_with_the_state_key(rendered, env):
    account = Environment.resolve(env).account_id
    key = f"arn:aws:kms:eu-central-1:{account}:alias/tbyte-terraform-state"
    for stack in BOUNDARY_INPUTS:
        config = rendered[(env, stack)]["remote_state"]["config"]
        assert config["kms_key_id"] == key, f"{env}/{stack}"
        assert config["encrypt"] is True
        # A bucket Terragrunt creates (bootstrap) is encrypted by default with the same key; it never updates one.
        assert (config["bucket_sse_algorithm"], config["bucket_sse_kms_key_id"]) == ("aws:kms", key)
        assert config["disable_bucket_update"] is True
        assert config["use_lockfile"] is True
    assert rendered[(env, "iam")]["inputs"]["state_kms_key_alias"] == "alias/tbyte-terraform-state"


def test_the_local_state_stays_in_the_emulators_bucket(rendered):
    for stack in BOUNDARY_INPUTS:
        document = rendered[("local", stack)]["remote_state"]
        assert document["disable_init"] is True
        assert "kms_key_id" not in document["config"] and "bucket_sse_algorithm" not in document["config"]
        assert document["config"]["endpoints"]["s3"].startswith("http://127.0.0.1:")
    assert rendered[("local", "iam")]["inputs"]["state_kms_key_alias"] is None


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_github_roles_are_wired_to_the_environment(rendered, env):
    inputs = rendered[(env, "iam")]["inputs"]
    assert inputs["enable_github"] is True
    assert inputs["github_environments"] == [env], "the deploy role trusts this environment's jobs only"
    assert inputs["github_branches"] == ["main"], "plan and drift: main only"
    assert inputs["state_bucket_name"] == Environment.resolve(env).values["state_bucket"]
    assert inputs["state_key_prefix"] == f"{env}/"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_deploy_roles_grants_follow_the_stacks_of_the_environment(rendered, env):
    """iam.hcl derives what the deploy role may apply from env.hcl (the stacks depend on iam, not the reverse): it
    must name exactly what those stacks render."""
    inputs = rendered[(env, "iam")]["inputs"]
    ecr = rendered[(env, "ecr")]["inputs"]
    assert inputs["github_ecr_repositories"] == [f"{ecr['namespace']}/{service}" for service in ecr["services"]]
    # The only keys the deploy role may create are tagged and aliased under its prefix.
    assert ecr["key_alias"].startswith(f"{inputs['name_prefix']}-")
    copy_region = rendered[(env, "backup")]["inputs"]["copy_region"]
    assert inputs["github_copy_regions"] == ([] if copy_region is None else [copy_region])
    edge = rendered[(env, "edge")]["inputs"]
    assert (inputs["github_domain_name"], inputs["github_hosted_zone_id"]) == (edge["domain_name"],
                                                                               edge["hosted_zone_id"])
    # The Redis secret is the platform's (deploy) and its value, kept in the elasticache state, readable by plans.
    redis = rendered[(env, "elasticache")]["inputs"]["secret_name"]
    assert redis.startswith(inputs["secrets_prefix"])
    assert inputs["github_state_secret_names"] == [redis]


def test_prod_copies_its_backups_so_its_deploy_role_manages_keys_and_vaults_there(rendered):
    assert rendered[("prod", "iam")]["inputs"]["github_copy_regions"] == ["eu-west-1"]
    assert all(rendered[(env, "iam")]["inputs"]["github_copy_regions"] == [] for env in ("local", "dev", "stage"))
