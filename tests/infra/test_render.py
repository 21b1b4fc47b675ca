"""Every unit of every environment renders offline, with the inputs its environment should have."""

import pytest

from tbyte.core.environment import Environment, environments
from tbyte.infra.graph import graph, render

ENVIRONMENTS = {name: Environment.resolve(name) for name in environments()}
UNITS = [(env, unit.name) for env in ENVIRONMENTS for unit in sorted(
    (path.parent for path in ENVIRONMENTS[env].terragrunt_dir.glob("*/terragrunt.hcl")), key=str)]


@pytest.fixture(scope="module")
def rendered():
    cache = {}

    def get(env, stack):
        if (env, stack) not in cache:
            cache[env, stack] = render(ENVIRONMENTS[env], stack)
        return cache[env, stack]

    return get


@pytest.mark.parametrize(("env", "stack"), UNITS, ids=[f"{e}/{s}" for e, s in UNITS])
def test_unit_renders_with_its_state_key_lockfile_and_tags(rendered, env, stack):
    config = rendered(env, stack)
    backend = config["remote_state"]["config"]
    assert backend["key"] == f"{env}/{stack}/terraform.tfstate"
    assert backend["use_lockfile"] is True and backend["encrypt"] is True
    provider = config["generate"]["provider"]["contents"]
    for tag in ("environment", "owner", "cost-center", "repository"):
        assert f'"{tag}"' in provider
    if env == "local":
        assert "http://127.0.0.1:" in provider and "allowed_account_ids" not in provider
    else:
        assert "allowed_account_ids" in provider and "assume_role" in provider and "127.0.0.1" not in provider


def test_terragrunt_gives_every_environment_every_stack_in_dependency_order():
    layers = {env: [[stack.name for stack in layer] for layer in graph(target).layers()]
              for env, target in ENVIRONMENTS.items()}
    # eks-access (EKS access entries, provider 5.33+) exists in the AWS environments only.
    assert layers == {env: [["vpc"], ["eks"], ["iam", "node-group"], ["rds"] if env == "local" else ["eks-access", "rds"]]
                      for env in ENVIRONMENTS}
    assert {env: sorted(graph(target).stacks) for env, target in ENVIRONMENTS.items()} == {
        env: ["eks", *([] if env == "local" else ["eks-access"]), "iam", "node-group", "rds", "vpc"]
        for env in ["dev", "local", "prod", "stage"]
    }


def test_prod_is_highly_available_and_private(rendered):
    assert rendered("prod", "vpc")["inputs"]["nat_gateway_mode"] == "one_per_az"
    assert len(rendered("prod", "vpc")["inputs"]["azs"]) == 3
    eks = rendered("prod", "eks")["inputs"]
    assert eks["endpoint_public_access"] is False and eks["public_access_cidrs"] == []
    rds = rendered("prod", "rds")["inputs"]
    assert rds["multi_az"] is True and rds["deletion_protection"] is True and rds["skip_final_snapshot"] is False


def test_dev_is_cheap(rendered):
    assert rendered("dev", "vpc")["inputs"]["nat_gateway_mode"] == "single"
    assert rendered("dev", "node-group")["inputs"]["node_groups"]["general"]["capacity_type"] == "SPOT"
    assert rendered("dev", "rds")["inputs"]["multi_az"] is False


def test_local_differs_from_aws_only_by_switching_eks_addons_off(rendered):
    assert rendered("local", "eks")["inputs"]["addons"] == {}
    assert "addons" not in rendered("dev", "eks")["inputs"]
