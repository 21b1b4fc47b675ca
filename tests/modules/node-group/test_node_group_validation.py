import pytest

from tests.modules.conftest import case_file

BASE = case_file("node-group", "on_demand_single", "tfvars")


def _group(**changes):
    group = {"instance_types": ["m6i.large"], "min_size": 1, "desired_size": 1, "max_size": 2}
    group.update(changes)
    return {"node_groups": {"general": group}}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"cluster_name": "-bad"}, "cluster_name must be an EKS cluster name"),
        ({"cluster_name": "c" * 60}, "cluster_name must be an EKS cluster name"),
        ({"cluster_version": "v1.31"}, "cluster_version must be a Kubernetes minor version"),
        ({"vpc_id": "vpc_123"}, "vpc_id must be a VPC ID"),
        ({"subnet_ids": []}, "subnet_ids must list at least one subnet, without duplicates"),
        ({"subnet_ids": ["subnet-0a1b2c3d", "subnet-0a1b2c3d"]}, "subnet_ids must list at least one subnet, without duplicates"),
        ({"subnet_ids": ["10.0.0.0/24"]}, "Every entry of subnet_ids must be a subnet ID"),
        ({"cluster_security_group_id": "default"}, "cluster_security_group_id must be a security group ID"),
        ({"node_groups": {}}, "node_groups must define at least one node group"),
        ({"node_groups": {"-x": _group()["node_groups"]["general"]}}, "Each key of node_groups must be a node group name"),
        (_group(capacity_type="RESERVED"), "capacity_type of every node group must be ON_DEMAND or SPOT"),
        (_group(min_size=3, desired_size=2, max_size=4), "0 <= min_size <= desired_size <= max_size"),
        (_group(min_size=1, desired_size=5, max_size=4), "0 <= min_size <= desired_size <= max_size"),
        (_group(min_size=-1, desired_size=0, max_size=1), "0 <= min_size <= desired_size <= max_size"),
        (_group(min_size=0, desired_size=0, max_size=0), "0 <= min_size <= desired_size <= max_size"),
        (_group(min_size=1, desired_size=1.5, max_size=2), "0 <= min_size <= desired_size <= max_size"),
        (_group(instance_types=[]), "instance_types of every node group must list 1 to 20 distinct"),
        (_group(instance_types=["m5.large", "m5.large"]), "instance_types of every node group must list 1 to 20 distinct"),
        (_group(instance_types=["large"]), "Every entry of instance_types must be an EC2 instance type"),
        (_group(instance_types=["m5.huge"]), "Every entry of instance_types must be an EC2 instance type"),
        (_group(disk_size_gb=10), "disk_size_gb of every node group must be a whole number of GiB from 20"),
        (_group(disk_size_gb=20000), "disk_size_gb of every node group must be a whole number of GiB from 20"),
        (_group(labels={"bad key!": "x"}), "Every label must have a Kubernetes label key"),
        (_group(labels={"team": "a b"}), "Every label must have a Kubernetes label key"),
        (_group(taints=[{"key": "dedicated", "effect": "NoSchedule"}]), "The effect of every taint must be NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE"),
        (_group(taints=[{"key": "a'b", "effect": "NO_SCHEDULE"}]), "Every taint must have a Kubernetes key"),
        (_group(taints=[{"key": "dedicated", "value": "x y", "effect": "NO_SCHEDULE"}]), "Every taint must have a Kubernetes key"),
        (_group(taints=[{"key": "a", "effect": "NO_SCHEDULE"}, {"key": "a", "value": "b", "effect": "NO_SCHEDULE"}]),
         "no two with the same key and effect"),
        (_group(subnet_ids=[]), "subnet_ids of a node group must be null (the module's subnets) or a non-empty list"),
        (_group(subnet_ids=["subnet-xyz"]), "subnet_ids of a node group must be null (the module's subnets) or a non-empty list"),
        (_group(ami_type="AL2023_x86_64_STANDARD"), "ami_type of a node group must be null"),
    ],
    ids=["cluster-name", "cluster-name-long", "cluster-version", "vpc-id", "subnets-empty", "subnets-duplicate",
         "subnet-id", "cluster-sg", "groups-empty", "group-name", "capacity-type", "min-above-desired",
         "desired-above-max", "min-negative", "max-zero", "fractional-size", "instance-types-empty",
         "instance-types-duplicate", "instance-type-family", "instance-type-size", "disk-small", "disk-large",
         "label-key", "label-value", "taint-effect", "taint-key", "taint-value", "taint-duplicate",
         "group-subnets-empty", "group-subnet-id", "ami-type"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("node-group", BASE, **inputs)
