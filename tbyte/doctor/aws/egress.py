"""B2 "a private instance or pod cannot reach the internet" (AWS001-AWS008): for every private subnet, HTTPS to
an internet address is followed hop by hop: the subnet's route (longest prefix), the NAT gateway and its state,
the NAT subnet's route to the internet gateway, the workloads' security groups, and the network ACLs of both
subnets in both directions (the return traffic comes back to ephemeral ports)."""

from __future__ import annotations

from tbyte.doctor.actions import AwsCall
from tbyte.doctor.aws import network as net
from tbyte.doctor.aws.inventory import Inventory, tags
from tbyte.doctor.findings import Finding

ANY = "0.0.0.0/0"


def subnet_label(inventory: Inventory, subnet_id: str) -> str:
    """ "subnet-0abc (tbyte-local-private-eu-central-1a)" """
    name = tags(inventory.subnets.get(subnet_id, {})).get("Name")
    return subnet_id + (f" ({name})" if name else "")


def subnet_name(inventory: Inventory, subnet_id: str) -> str:
    return f"subnet {subnet_label(inventory, subnet_id)}"


def private_subnets(inventory: Inventory) -> list[str]:
    """Subnets tagged Tier=private (the vpc module's), and every subnet a node group or function uses."""
    found = {sid for sid, subnet in inventory.subnets.items() if tags(subnet).get("Tier") == "private"}
    for group in inventory.node_groups:
        found.update(group.get("subnets") or [])
    order = list(inventory.subnets)  # by zone and CIDR, not by id: the same platform always reads the same way
    return sorted(found, key=lambda sid: (order.index(sid) if sid in order else len(order), sid))


def workload_groups(inventory: Inventory, subnet_id: str) -> list[str]:
    groups = []
    for group in inventory.node_groups:
        if subnet_id in (group.get("subnets") or []):
            groups += [g for g in group["securityGroups"] if g not in groups]
    return groups


def nat_for(inventory: Inventory, subnet_id: str) -> dict | None:
    """An available NAT gateway, in the subnet's zone when there is one."""
    zone = inventory.subnets.get(subnet_id, {}).get("AvailabilityZone")
    available = [nat for nat in inventory.nat_gateways.values() if nat.get("State") == "available"]
    same = [nat for nat in available if inventory.subnets.get(nat["SubnetId"], {}).get("AvailabilityZone") == zone]
    return (same or available or [None])[0]


def analyze(inventory: Inventory) -> list[Finding]:
    found: dict[tuple[str, str], Finding] = {}
    for subnet_id in private_subnets(inventory):
        for finding in _subnet(inventory, subnet_id):
            found.setdefault((finding.code, finding.object), finding)
    return list(found.values())


def _to_nat(inventory: Inventory, subnet_id: str, table: dict, replace: str | None) -> tuple[str, tuple]:
    nat = nat_for(inventory, subnet_id)
    if nat is None:
        return "no NAT gateway is available in the VPC: create one in a public subnet (the vpc module's " \
               "nat_gateway_mode)", ()
    operation = "ReplaceRoute" if replace else "CreateRoute"
    return (f"send {replace or ANY} to the NAT gateway {nat['NatGatewayId']}",
            (AwsCall.of("ec2", operation, RouteTableId=table["RouteTableId"], DestinationCidrBlock=replace or ANY,
                        NatGatewayId=nat["NatGatewayId"]),))


def _subnet(inventory: Inventory, subnet_id: str) -> list[Finding]:
    where = subnet_name(inventory, subnet_id)
    table = net.route_table(inventory, subnet_id)
    if table is None:
        return [Finding("AWS001", "critical", where, "the subnet has no route table", (), "associate the subnet's "
                        "private route table (the vpc module's aws_route_table_association.private)")]
    route = net.lookup(table, net.INTERNET)
    rt = f"route table {table['RouteTableId']}"
    rt_object = f"{rt} of {subnet_label(inventory, subnet_id)}"
    if route is None:
        words, actions = _to_nat(inventory, subnet_id, table, None)
        return [Finding("AWS001", "critical", where, "no route leads to the internet",
                        (f"{rt} has no route that contains an internet address (no {ANY})",
                         "routes: " + ", ".join(f"{r.get('DestinationCidrBlock') or r.get('DestinationPrefixListId')}"
                                                f" -> {net.target(r)[1]}" for r in table.get("Routes") or [])),
                        f"add the default route: {words}", actions)]
    kind, ident = net.target(route)
    destination = route["DestinationCidrBlock"]
    why = net.blackhole(inventory, route)
    if why:
        words, actions = _to_nat(inventory, subnet_id, table, destination)
        return [Finding("AWS002", "critical", rt_object, f"the route {destination} -> {ident} is a blackhole",
                        (why, f"internet traffic of {where} takes {destination} (longest prefix)"),
                        f"point the route at a NAT gateway that exists: {words}", actions)]
    default = next((r for r in table.get("Routes") or [] if r.get("DestinationCidrBlock") == ANY), None)
    if destination != ANY and kind not in ("NatGatewayId",) and not ident.startswith("igw-"):
        actions = (AwsCall.of("ec2", "DeleteRoute", RouteTableId=table["RouteTableId"],
                              DestinationCidrBlock=destination),) if default else ()
        return [Finding("AWS003", "critical", rt_object,
                        f"internet traffic takes the more specific route {destination} -> {ident}",
                        (f"longest prefix match: {destination} beats "
                         f"{ANY + ' -> ' + net.target(default)[1] if default else 'no default route'}",),
                        "remove the more specific route (or narrow it to the network it is meant for)", actions)]
    if ident.startswith("igw-"):
        words, actions = _to_nat(inventory, subnet_id, table, destination)
        return [Finding("AWS001", "critical", where, "the private subnet routes to the internet gateway",
                        (f"{rt}: {destination} -> {ident}", "its instances and pods have no public IP, so the internet "
                         "gateway drops their traffic"), f"route private subnets through NAT: {words}", actions)]
    if kind != "NatGatewayId":
        return []  # an appliance or transit gateway: beyond what the doctor can follow
    return _beyond_nat(inventory, subnet_id, where, inventory.nat_gateways[ident])


def _beyond_nat(inventory: Inventory, subnet_id: str, where: str, nat: dict) -> list[Finding]:
    found = []
    if nat.get("State") != "available":
        found.append(Finding("AWS004", "critical", f"NAT gateway {nat['NatGatewayId']}",
                             f"the NAT gateway is {nat.get('State')}",
                             (f"{nat.get('FailureCode', '')} {nat.get('FailureMessage', '')}".strip() or
                              f"state {nat.get('State')}",),
                             "wait while it is pending; a failed one must be replaced (its Elastic IP must be free)"))
        return found
    public = nat["SubnetId"]
    table = net.route_table(inventory, public)
    route = net.lookup(table, net.INTERNET) if table else None
    gateway = next(iter(inventory.internet_gateways), None)
    if route is None or not net.target(route)[1].startswith("igw-") or net.blackhole(inventory, route):
        actions = ()
        if gateway and table:
            operation = "ReplaceRoute" if route and route["DestinationCidrBlock"] == ANY else "CreateRoute"
            actions = (AwsCall.of("ec2", operation, RouteTableId=table["RouteTableId"], DestinationCidrBlock=ANY,
                                  GatewayId=gateway),)
        taken = f"{route['DestinationCidrBlock']} -> {net.target(route)[1]}" if route else "none"
        found.append(Finding("AWS005", "critical", subnet_name(inventory, public),
                             "the NAT gateway's subnet has no route to an internet gateway",
                             (f"NAT gateway {nat['NatGatewayId']} lives in {subnet_name(inventory, public)}",
                              f"its route for the internet: {taken}",
                              f"internet gateway attached to the VPC: {gateway or 'none'}"),
                             "the public route table sends 0.0.0.0/0 to the VPC's internet gateway", actions))
    found += _groups(inventory, subnet_id, where)
    found += _acls(inventory, subnet_id, public)
    return found


def _groups(inventory: Inventory, subnet_id: str, where: str) -> list[Finding]:
    ids = workload_groups(inventory, subnet_id)
    groups = [inventory.security_groups[g] for g in ids if g in inventory.security_groups]
    if not groups or net.sg_allows(groups, True, net.HTTPS, net.INTERNET):
        return []
    own = next((g for g in groups if not g.get("GroupName", "").startswith("eks-cluster-sg")), groups[0])
    return [Finding("AWS006", "critical", f"security group {own['GroupId']} ({own.get('GroupName', '')})",
                    f"the nodes in {where} may not send HTTPS to the internet",
                    (f"no egress rule of {', '.join(ids)} allows tcp/443 to the internet",),
                    "restore the egress rule (all traffic out, AWS's default and what the node-group module declares; "
                    "pods share the nodes' interfaces, so NetworkPolicies narrow it per workload)",
                    (AwsCall.of("ec2", "AuthorizeSecurityGroupEgress", GroupId=own["GroupId"], IpPermissions=[
                        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": ANY, "Description": "Egress"}]}]),))]


def _acls(inventory: Inventory, private: str, public: str) -> list[Finding]:
    """Both subnets' ACLs, both directions: (subnet, egress?, peer, ports, code)."""
    inside = net.network(inventory.subnets[private]["CidrBlock"])
    hops = [(private, True, net.INTERNET, (net.HTTPS, net.HTTPS), "AWS007"),
            (private, False, net.INTERNET, net.EPHEMERAL, "AWS008")]
    if public != private:
        hops += [(public, False, inside, (net.HTTPS, net.HTTPS), "AWS007"),
                 (public, True, net.INTERNET, (net.HTTPS, net.HTTPS), "AWS007"),
                 (public, False, net.INTERNET, net.EPHEMERAL, "AWS008"),
                 (public, True, inside, net.EPHEMERAL, "AWS008")]
    found = []
    for subnet_id, egress, peer, ports, code in hops:
        finding = acl_finding(inventory, subnet_id, egress, peer, ports, code,
                              f"HTTPS from {subnet_name(inventory, private)} to the internet")
        if finding:
            found.append(finding)
    return found


def acl_finding(inventory: Inventory, subnet_id: str, egress: bool, peer, ports: tuple[int, int], code: str,
                path: str) -> Finding | None:
    acl = net.nacl_of(inventory, subnet_id)
    blocked = net.denied(acl, egress, peer, ports) if acl else []
    if not blocked:
        return None
    direction = "outbound to" if egress else "inbound from"
    first = blocked[0]
    if first.rule != 32767:
        actions = (AwsCall.of("ec2", "DeleteNetworkAclEntry", NetworkAclId=acl["NetworkAclId"], RuleNumber=first.rule,
                              Egress=egress),)
        words = f"remove the deny rule {first.rule}"
    else:
        number = net.free_rule_number(acl, egress, 32767)
        cidr = ANY if peer == net.INTERNET else str(peer)
        actions = (AwsCall.of("ec2", "CreateNetworkAclEntry", NetworkAclId=acl["NetworkAclId"], RuleNumber=number,
                              Protocol="6", RuleAction="allow", Egress=egress, CidrBlock=cidr,
                              PortRange={"From": ports[0], "To": ports[1]}),)
        words = "add an allow rule before the default deny"
    what = "the return traffic" if code == "AWS008" else "the traffic"
    return Finding(code, "critical", f"network ACL {acl['NetworkAclId']} at {subnet_label(inventory, subnet_id)}",
                   f"blocks {what} {direction} {peer} (TCP {ports[0]}-{ports[1]})",
                   (f"on the path of {path}: " + "; ".join(verdict.text() for verdict in blocked),),
                   f"network ACLs are stateless: both directions need a rule; {words}", actions)
