"""Where the AWS drills reach into the local platform: its VPC's route tables, NAT gateway, default network ACL,
node and database security groups, state bucket, flow-log group and their keys, found by their tags and names;
and what puts each back."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from tbyte.doctor.drills.bench import Bench

ANY = "0.0.0.0/0"
FLOW_LOGS = "/aws/vpc-flow-logs/tbyte-local"
EKS_LOGS = "/aws/eks/tbyte-local/cluster"


def ec2(bench: Bench):
    return bench.client("ec2")


def vpc(bench: Bench) -> str:
    return ec2(bench).describe_vpcs(Filters=[{"Name": "tag:environment", "Values": [bench.env.name]}])["Vpcs"][0][
        "VpcId"]


def _in_vpc(bench: Bench) -> list[dict]:
    return [{"Name": "vpc-id", "Values": [vpc(bench)]}]


def named(bench: Bench, kind: str, name: str) -> dict:
    """The VPC's route table, subnet or security group whose Name tag (or group name) is `name`."""
    if kind == "route-table":
        items = ec2(bench).describe_route_tables(Filters=_in_vpc(bench))["RouteTables"]
    elif kind == "subnet":
        items = ec2(bench).describe_subnets(Filters=_in_vpc(bench))["Subnets"]
    else:
        items = ec2(bench).describe_security_groups(Filters=_in_vpc(bench))["SecurityGroups"]
    for item in items:
        tag = {t["Key"]: t["Value"] for t in item.get("Tags") or []}.get("Name")
        if tag == name or item.get("GroupName", "").startswith(name):
            return item
    raise LookupError(f"no {kind} named {name} in the local VPC")


def private_table(bench: Bench) -> str:
    return named(bench, "route-table", "tbyte-local-private-eu-central-1a")["RouteTableId"]


def public_table(bench: Bench) -> str:
    return named(bench, "route-table", "tbyte-local-public")["RouteTableId"]


def nat(bench: Bench) -> str:
    found = ec2(bench).describe_nat_gateways(Filters=_in_vpc(bench))["NatGateways"]
    return next(n["NatGatewayId"] for n in found if n["State"] == "available" and
                {t["Key"]: t["Value"] for t in n.get("Tags") or []}.get("environment") == bench.env.name)


def igw(bench: Bench) -> str:
    return ec2(bench).describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc(bench)]}])[
        "InternetGateways"][0]["InternetGatewayId"]


def ensure_route(bench: Bench, table: str, **target) -> None:
    routes = next(t for t in ec2(bench).describe_route_tables(RouteTableIds=[table])["RouteTables"])["Routes"]
    current = next((r for r in routes if r.get("DestinationCidrBlock") == ANY), None)
    if current is None:
        ec2(bench).create_route(RouteTableId=table, DestinationCidrBlock=ANY, **target)
    elif any(current.get(key) != value for key, value in target.items()):
        ec2(bench).replace_route(RouteTableId=table, DestinationCidrBlock=ANY, **target)


def default_acl(bench: Bench) -> str:
    return ec2(bench).describe_network_acls(Filters=[*_in_vpc(bench), {"Name": "default", "Values": ["true"]}])[
        "NetworkAcls"][0]["NetworkAclId"]


def drop_acl_entry(bench: Bench, number: int, egress: bool) -> None:
    acl = default_acl(bench)
    entries = ec2(bench).describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]
    if any(e["RuleNumber"] == number and e["Egress"] == egress for e in entries):
        ec2(bench).delete_network_acl_entry(NetworkAclId=acl, RuleNumber=number, Egress=egress)


def deny_entry(bench: Bench, number: int, egress: bool, ports: tuple[int, int]) -> None:
    ec2(bench).create_network_acl_entry(NetworkAclId=default_acl(bench), RuleNumber=number, Protocol="6",
                                        RuleAction="deny", Egress=egress, CidrBlock=ANY,
                                        PortRange={"From": ports[0], "To": ports[1]})


def revoke(bench: Bench, key: str, group: str, egress: bool) -> None:
    """Remove every rule of one direction of a group, remembering them under `key`."""
    found = ec2(bench).describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
    rules = found["IpPermissionsEgress" if egress else "IpPermissions"]
    bench.stash.setdefault("rules", {})[key] = {"group": group, "egress": egress, "rules": rules}
    bench.save()
    if rules:
        (ec2(bench).revoke_security_group_egress if egress else ec2(bench).revoke_security_group_ingress)(
            GroupId=group, IpPermissions=rules)


def put_rules_back(bench: Bench) -> None:
    for kept in (bench.stash.get("rules") or {}).values():
        call = ec2(bench).authorize_security_group_egress if kept["egress"] else \
            ec2(bench).authorize_security_group_ingress
        for rule in kept["rules"]:
            rule = {k: v for k, v in rule.items() if v not in ([], None)}
            for pair in rule.get("UserIdGroupPairs") or []:
                pair.pop("UserId", None)
            try:
                call(GroupId=kept["group"], IpPermissions=[rule])
            except ClientError as error:
                if error.response["Error"]["Code"] != "InvalidPermission.Duplicate":
                    raise


def node_groups(bench: Bench) -> list[str]:
    """The node security group and the cluster security group EKS gives the nodes."""
    cluster = bench.client("eks").describe_cluster(name="tbyte-local")["cluster"]["resourcesVpcConfig"]
    return [named(bench, "security-group", "tbyte-local-node")["GroupId"], cluster["clusterSecurityGroupId"]]


def database_group(bench: Bench) -> str:
    found = bench.client("rds").describe_db_instances(DBInstanceIdentifier="tbyte-local")["DBInstances"][0]
    return found["VpcSecurityGroups"][0]["VpcSecurityGroupId"]


def key_of_group(bench: Bench, name: str) -> str:
    return bench.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]["kmsKeyId"]


def remember_key_policy(bench: Bench, key: str) -> dict:
    policy = json.loads(bench.client("kms").get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    bench.stash.setdefault("key-policies", {}).setdefault(key, policy)
    bench.save()
    return policy


def put_key_policies_back(bench: Bench) -> None:
    for key, policy in (bench.stash.get("key-policies") or {}).items():
        bench.client("kms").put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(policy))
