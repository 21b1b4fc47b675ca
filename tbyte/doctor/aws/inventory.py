"""What the AWS checks read, fetched once per run with Describe/List/Get calls only, and only when a check
asks for it: the environment's VPC (found by its `environment` tag, which every resource of the platform carries)
and its network, node groups, database, functions, buckets, roles, keys and log groups."""

from __future__ import annotations

import functools

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused

ECR_LAYERS = "prod-{region}-starport-layer-bucket"  # where ECR serves image layers from (through S3)


def _pages(client, operation: str, key: str, **arguments) -> list:
    found = []
    for page in client.get_paginator(operation).paginate(**arguments):
        found += page.get(key, [])
    return found


def tags(item: dict) -> dict:
    entries = item.get("Tags") or item.get("TagList") or []
    return {tag["Key"]: tag["Value"] for tag in entries} if isinstance(entries, list) else dict(entries)


class Inventory:
    def __init__(self, env: Environment):
        self.env = env
        self.client = env.client

    @property
    def region(self) -> str:
        return self.env.region

    @functools.cached_property
    def vpc(self) -> dict:
        found = self.client("ec2").describe_vpcs(
            Filters=[{"Name": "tag:environment", "Values": [self.env.name]}])["Vpcs"]
        if not found:
            raise Refused(f"no VPC tagged environment={self.env.name} in {self.region}: is the vpc stack applied?")
        return found[0]

    def _in_vpc(self, operation: str, key: str) -> list:
        return _pages(self.client("ec2"), operation, key, Filters=[{"Name": "vpc-id", "Values": [self.vpc["VpcId"]]}])

    # Sorted by what does not change from one apply to the next (zone, CIDR, name), never by id or by the API's
    # order (the emulator answers in creation order): the same platform always reads, and reports, the same way.
    @functools.cached_property
    def subnets(self) -> dict[str, dict]:
        found = sorted(self._in_vpc("describe_subnets", "Subnets"),
                       key=lambda subnet: (subnet["AvailabilityZone"], subnet["CidrBlock"]))
        return {subnet["SubnetId"]: subnet for subnet in found}

    @functools.cached_property
    def route_tables(self) -> list[dict]:
        return self._in_vpc("describe_route_tables", "RouteTables")

    @functools.cached_property
    def nat_gateways(self) -> dict[str, dict]:
        return {nat["NatGatewayId"]: nat for nat in self._in_vpc("describe_nat_gateways", "NatGateways")}

    @functools.cached_property
    def internet_gateways(self) -> dict[str, dict]:
        found = _pages(self.client("ec2"), "describe_internet_gateways", "InternetGateways",
                       Filters=[{"Name": "attachment.vpc-id", "Values": [self.vpc["VpcId"]]}])
        return {gateway["InternetGatewayId"]: gateway for gateway in found}

    @functools.cached_property
    def security_groups(self) -> dict[str, dict]:
        found = sorted(self._in_vpc("describe_security_groups", "SecurityGroups"), key=lambda group: group["GroupName"])
        return {group["GroupId"]: group for group in found}

    @functools.cached_property
    def network_acls(self) -> list[dict]:
        return self._in_vpc("describe_network_acls", "NetworkAcls")

    @functools.cached_property
    def vpc_endpoints(self) -> list[dict]:
        return self._in_vpc("describe_vpc_endpoints", "VpcEndpoints")

    @functools.cached_property
    def network_interfaces(self) -> dict[str, dict]:
        found = self._in_vpc("describe_network_interfaces", "NetworkInterfaces")
        return {eni["NetworkInterfaceId"]: eni for eni in found}

    @functools.cached_property
    def clusters(self) -> list[dict]:
        eks = self.client("eks")
        found = [eks.describe_cluster(name=name)["cluster"] for name in _pages(eks, "list_clusters", "clusters")]
        return [cluster for cluster in found
                if (cluster.get("resourcesVpcConfig") or {}).get("vpcId") == self.vpc["VpcId"]]

    @functools.cached_property
    def node_groups(self) -> list[dict]:
        """Each node group with what its instances get: subnets and security groups (its launch template's, else
        the cluster security group EKS attaches)."""
        eks, ec2 = self.client("eks"), self.client("ec2")
        found = []
        for cluster in self.clusters:
            for name in _pages(eks, "list_nodegroups", "nodegroups", clusterName=cluster["name"]):
                group = eks.describe_nodegroup(clusterName=cluster["name"], nodegroupName=name)["nodegroup"]
                template = group.get("launchTemplate") or {}
                groups = []
                if template.get("id"):
                    data = ec2.describe_launch_template_versions(LaunchTemplateId=template["id"], Versions=[
                        str(template.get("version", "$Default"))])["LaunchTemplateVersions"][0]["LaunchTemplateData"]
                    groups = list(data.get("SecurityGroupIds") or [])
                    for interface in data.get("NetworkInterfaces") or []:
                        groups += interface.get("Groups") or []
                if not groups:
                    groups = [cluster["resourcesVpcConfig"].get("clusterSecurityGroupId")]
                found.append({**group, "securityGroups": [g for g in groups if g]})
        return found

    @functools.cached_property
    def databases(self) -> list[dict]:
        found = _pages(self.client("rds"), "describe_db_instances", "DBInstances")
        return [db for db in found if (db.get("DBSubnetGroup") or {}).get("VpcId") == self.vpc["VpcId"]]

    @functools.cached_property
    def functions(self) -> list[dict]:
        """Functions attached to the VPC (by their subnets: what any Lambda API reports of them)."""
        found = _pages(self.client("lambda"), "list_functions", "Functions")
        return [fn for fn in found if set((fn.get("VpcConfig") or {}).get("SubnetIds") or []) & set(self.subnets)]

    @functools.cached_property
    def roles(self) -> dict[str, dict]:
        """The environment's roles (named tbyte-<env>-*), each with its policy documents and boundary."""
        iam = self.client("iam")
        prefix = f"tbyte-{self.env.name}-"
        found = {}
        for role in _pages(iam, "list_roles", "Roles"):
            if role["RoleName"].startswith(prefix):
                found[role["RoleName"]] = self._role(iam, role["RoleName"])
        return found

    def role(self, name: str) -> dict:
        """One role by name, with its policy documents and boundary."""
        return self._role(self.client("iam"), name)

    def _role(self, iam, name: str) -> dict:
        role = iam.get_role(RoleName=name)["Role"]
        inline = {policy: iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
                  for policy in _pages(iam, "list_role_policies", "PolicyNames", RoleName=name)}
        attached = {policy["PolicyArn"]: self.managed_policy(policy["PolicyArn"])
                    for policy in _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)}
        boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        return {**role, "Inline": inline, "Attached": attached,
                "Boundary": self.managed_policy(boundary) if boundary else None}

    @functools.cache  # noqa: B019 - one Inventory per run
    def managed_policy(self, arn: str) -> dict:
        iam = self.client("iam")
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        return iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]

    @functools.cache  # noqa: B019
    def key_policy(self, key: str) -> dict:
        return self.client("kms").get_key_policy(KeyId=key, PolicyName="default")["Policy"]

    @functools.cached_property
    def log_groups(self) -> dict[str, dict]:
        return {group["logGroupName"]: group for group in _pages(self.client("logs"), "describe_log_groups",
                                                                  "logGroups")}

    @functools.cached_property
    def flow_logs(self) -> list[dict]:
        return _pages(self.client("ec2"), "describe_flow_logs", "FlowLogs",
                      Filters=[{"Name": "resource-id", "Values": [self.vpc["VpcId"]]}])
