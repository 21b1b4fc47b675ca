"""B2 "a Lambda in the VPC cannot connect" (AWS020-AWS023): each function attached to the environment's VPC is
checked for subnets without a way out (a public subnet gives a function's interfaces no public IP; a subnet
with neither a NAT gateway nor VPC endpoints reaches no AWS API), security groups without egress, and an
execution role that may not create its network interfaces."""

from __future__ import annotations

from tbyte.doctor.actions import AwsCall
from tbyte.doctor.aws import network as net
from tbyte.doctor.aws.egress import subnet_name
from tbyte.doctor.aws.inventory import Inventory, tags
from tbyte.doctor.aws.policies import Principal, allows
from tbyte.doctor.findings import Finding

VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")


def analyze(inventory: Inventory) -> list[Finding]:
    found = []
    for function in inventory.functions:
        found += _function(inventory, function)
    return found


def _way_out(inventory: Inventory, subnet_id: str) -> str:
    """'public' (the internet gateway), 'nat', or 'none'."""
    table = net.route_table(inventory, subnet_id)
    route = net.lookup(table, net.INTERNET) if table else None
    if route is None or net.blackhole(inventory, route):
        return "none"
    kind, ident = net.target(route)
    return "public" if ident.startswith("igw-") else "nat" if kind == "NatGatewayId" else "other"


def _function(inventory: Inventory, function: dict) -> list[Finding]:
    config = function.get("VpcConfig") or {}
    name, subnets = function["FunctionName"], config.get("SubnetIds") or []
    groups = config.get("SecurityGroupIds") or []
    where = f"function {name}"
    private = [sid for sid, subnet in inventory.subnets.items() if tags(subnet).get("Tier") == "private"]
    move = AwsCall.of("lambda", "UpdateFunctionConfiguration", FunctionName=name,
                      VpcConfig={"SubnetIds": private, "SecurityGroupIds": groups})
    found = []
    ways = {subnet: _way_out(inventory, subnet) for subnet in subnets}
    public = [subnet for subnet, way in ways.items() if way == "public"]
    if public:
        found.append(Finding("AWS020", "critical", where, "the function runs in public subnets",
                             tuple(f"{subnet_name(inventory, s)} routes the internet to an internet gateway; a "
                                   "function's network interfaces never get a public IP" for s in public),
                             "attach the function to the private subnets, whose NAT gateway takes it out", (move,)))
    interface_endpoints = [e for e in inventory.vpc_endpoints if e.get("VpcEndpointType") == "Interface"]
    stuck = [subnet for subnet, way in ways.items() if way == "none"]
    if stuck and not interface_endpoints:
        found.append(Finding("AWS022", "critical", where, "its subnets reach neither a NAT gateway nor an endpoint",
                             tuple(f"{subnet_name(inventory, s)} has no usable route to the internet" for s in stuck)
                             + ("the VPC has no interface endpoints (for AWS APIs without NAT)",),
                             "attach it to subnets with a NAT gateway, or add interface endpoints for the AWS APIs it "
                             "calls (secretsmanager, sts, ...)", (move,)))
    security_groups = [inventory.security_groups[g] for g in groups if g in inventory.security_groups]
    if security_groups and not net.sg_allows(security_groups, True, net.HTTPS, net.INTERNET):
        found.append(Finding("AWS021", "critical", where, "its security groups allow no HTTPS out",
                             (f"no egress rule of {', '.join(groups)} allows tcp/443",),
                             "a function only ever connects out: allow HTTPS (and its database port) in its group",
                             (AwsCall.of("ec2", "AuthorizeSecurityGroupEgress", GroupId=groups[0], IpPermissions=[
                                 {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                  "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS out"}]}]),)))
    found += _role(inventory, function, where)
    return found


def _role(inventory: Inventory, function: dict, where: str) -> list[Finding]:
    role_name = function["Role"].split("/")[-1]
    role = inventory.roles.get(role_name) or inventory.role(role_name)
    who = Principal(arn=role["Arn"], account=role["Arn"].split(":")[4])
    documents = [*role["Inline"].values(), *role["Attached"].values()]
    missing = [action for action in ENI_ACTIONS if not any(allows(doc, action, "*", who) for doc in documents)]
    if not missing:
        return []
    return [Finding("AWS023", "critical", where, "its role may not manage the function's network interfaces",
                    (f"role {role_name} lacks {', '.join(missing)}",),
                    "Lambda creates an interface in each subnet as the function's role: attach AWS's "
                    "AWSLambdaVPCAccessExecutionRole", (AwsCall.of("iam", "AttachRolePolicy", RoleName=role_name,
                                                                   PolicyArn=VPC_ACCESS),))]
