"""Every unit of every environment renders offline, with the inputs its environment should have."""

import pytest

from tbyte.core import paths
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
    access = {env: [] if env == "local" else ["eks-access"] for env in ENVIRONMENTS}
    assert layers == {env: [["edge", "vpc"], ["eks"], ["iam", "node-group"], ["ecr", *access[env], "elasticache", "rds"],
                            ["observability"], ["backup"]] for env in ENVIRONMENTS}
    assert {env: sorted(graph(target).stacks) for env, target in ENVIRONMENTS.items()} == {
        env: ["backup", "ecr", "edge", "eks", *access[env], "elasticache", "iam", "node-group", "observability", "rds",
              "vpc"]
        for env in ["dev", "local", "prod", "stage"]
    }


def test_prod_is_highly_available_and_private(rendered):
    assert rendered("prod", "vpc")["inputs"]["nat_gateway_mode"] == "one_per_az"
    assert len(rendered("prod", "vpc")["inputs"]["azs"]) == 3
    eks = rendered("prod", "eks")["inputs"]
    assert eks["endpoint_public_access"] is False and eks["public_access_cidrs"] == []
    rds = rendered("prod", "rds")["inputs"]
    assert rds["multi_az"] is True and rds["deletion_protection"] is True and rds["skip_final_snapshot"] is False
    cache = rendered("prod", "elasticache")["inputs"]
    assert cache["number_cache_clusters"] >= 2 and cache["automatic_failover_enabled"] is True
    assert cache["multi_az_enabled"] is True and cache["skip_final_snapshot"] is False
    backup = rendered("prod", "backup")["inputs"]
    assert backup["copy_region"] not in (None, rendered("prod", "vpc")["inputs"]["azs"][0][:-1])
    copy_provider = rendered("prod", "backup")["generate"]["provider_copy"]["contents"]
    assert f'region              = "{backup["copy_region"]}"' in copy_provider and "assume_role" in copy_provider


def test_the_cache_lives_in_the_database_subnets_and_admits_the_nodes_only(rendered):
    for env in ("local", "prod"):
        cache = rendered(env, "elasticache")["inputs"]
        assert cache["subnet_ids"] == rendered(env, "rds")["inputs"]["subnet_ids"]
        assert cache["allowed_security_group_ids"] == rendered(env, "rds")["inputs"]["allowed_security_group_ids"]
        assert cache["secret_reader_roles"] == {"app": "tbyte-mock-app"}


def test_each_environment_gets_the_replication_group_written_for_its_provider(rendered):
    # local locks the offline hashicorp/aws 3.39.0, the AWS environments 6.25.0 (root.hcl): the elasticache module
    # is written for 6.x and its provider-3 variant replaces its replication group file for local.
    module = paths.MODULES / "elasticache"
    for env in ENVIRONMENTS:
        generated = rendered(env, "elasticache")["generate"]["replication_group"]
        assert generated["path"] == "replication_group.tf" and generated["if_exists"] == "overwrite"
        expected = module / "provider3" / "replication_group.tf" if env == "local" else module / "replication_group.tf"
        assert generated["contents"] == expected.read_text(), f"{env}: not {expected.relative_to(paths.ROOT)}"
    assert "log_delivery_configuration" in rendered("prod", "elasticache")["generate"]["replication_group"]["contents"]


def test_a_domain_brings_a_certificate_and_local_names_none(rendered):
    assert rendered("local", "edge")["inputs"]["domain_name"] is None
    for env in ("dev", "stage", "prod"):
        edge = rendered(env, "edge")["inputs"]
        assert edge["domain_name"] and edge["hosted_zone_id"].startswith("Z")
        assert edge["subject_alternative_names"] == [f"*.{edge['domain_name']}"]
        # The www alias waits for the ALB the controller creates (env.hcl alb_endpoint).
        assert edge["alias_records"] == [f"www.{edge['domain_name']}"] and edge["load_balancer"] is None


def test_local_copy_provider_reaches_only_the_emulator(rendered):
    provider = rendered("local", "backup")["generate"]["provider_copy"]["contents"]
    assert "http://127.0.0.1:" in provider and 'access_key                  = "testing"' in provider
    assert "allowed_account_ids" not in provider


def test_dev_is_cheap(rendered):
    assert rendered("dev", "vpc")["inputs"]["nat_gateway_mode"] == "single"
    assert rendered("dev", "node-group")["inputs"]["node_groups"]["general"]["capacity_type"] == "SPOT"
    assert rendered("dev", "rds")["inputs"]["multi_az"] is False


def test_local_differs_from_aws_only_by_switching_eks_addons_off(rendered):
    assert rendered("local", "eks")["inputs"]["addons"] == {}
    assert "addons" not in rendered("dev", "eks")["inputs"]
