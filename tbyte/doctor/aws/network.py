"""The VPC's packet path, evaluated from its configuration as Reachability Analyzer does, without a packet:
which route table a subnet uses, which route a destination takes (longest prefix wins), where that route leads
and whether it is a blackhole, what security groups and network ACLs let through, port range by port range."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from tbyte.doctor.aws.inventory import Inventory

INTERNET = ipaddress.ip_network("1.1.1.1/32")  # stands for any internet address
HTTPS = 443
EPHEMERAL = (1024, 65535)  # the ports return traffic comes back to (a NAT gateway uses all of them)
TARGETS = ("GatewayId", "NatGatewayId", "NetworkInterfaceId", "InstanceId", "TransitGatewayId",
           "VpcPeeringConnectionId", "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId")
TCP = "6"


def network(text: str) -> ipaddress.IPv4Network:
    return ipaddress.ip_network(text, strict=False)


def route_table(inventory: Inventory, subnet_id: str) -> dict | None:
    """The subnet's route table: explicitly associated, else the VPC's main one."""
    main = None
    for table in inventory.route_tables:
        for association in table.get("Associations") or []:
            if association.get("SubnetId") == subnet_id:
                return table
            if association.get("Main"):
                main = table
    return main


def target(route: dict) -> tuple[str, str]:
    """(kind, id) of where a route sends traffic."""
    for key in TARGETS:
        if route.get(key):
            return key, route[key]
    return "none", "none"


def lookup(table: dict, destination: ipaddress.IPv4Network) -> dict | None:
    """The route a destination takes: the longest prefix that contains it."""
    candidates = [route for route in table.get("Routes") or [] if route.get("DestinationCidrBlock")
                  and destination.subnet_of(network(route["DestinationCidrBlock"]))]
    return max(candidates, key=lambda route: network(route["DestinationCidrBlock"]).prefixlen, default=None)


def blackhole(inventory: Inventory, route: dict) -> str | None:
    """Why a route leads nowhere, or None: AWS says blackhole, or its target is gone or not usable."""
    kind, ident = target(route)
    if route.get("State") == "blackhole":
        return f"AWS reports the route to {ident} as a blackhole"
    if kind == "NatGatewayId":
        nat = inventory.nat_gateways.get(ident)
        if nat is None or nat.get("State") in ("deleted", "deleting", "failed"):
            return f"NAT gateway {ident} is {nat.get('State') if nat else 'gone'}"
    if kind == "GatewayId" and ident.startswith("igw-") and ident not in inventory.internet_gateways:
        return f"internet gateway {ident} is not attached to the VPC"
    if kind == "NetworkInterfaceId" and ident not in inventory.network_interfaces:
        return f"network interface {ident} is gone"
    return None


def nacl_of(inventory: Inventory, subnet_id: str) -> dict | None:
    default = None
    for acl in inventory.network_acls:
        if any(a.get("SubnetId") == subnet_id for a in acl.get("Associations") or []):
            return acl
        if acl.get("IsDefault"):
            default = acl
    return default


@dataclass(frozen=True)
class Verdict:
    low: int
    high: int
    allowed: bool
    rule: int  # the rule number that decided (32767: the default deny)

    def text(self) -> str:
        ports = f"port {self.low}" if self.low == self.high else f"ports {self.low}-{self.high}"
        rule = "the default rule *" if self.rule == 32767 else f"rule {self.rule}"
        return f"{ports} {'allowed' if self.allowed else 'denied'} by {rule}"


def _covers(entry: dict, peer: ipaddress.IPv4Network, allow: bool) -> bool:
    """An allow applies when its CIDR holds the whole peer; a deny when it touches any of it."""
    cidr = network(entry.get("CidrBlock") or "0.0.0.0/0")
    return peer.subnet_of(cidr) if allow else peer.overlaps(cidr)


def nacl_verdicts(acl: dict, egress: bool, peer: ipaddress.IPv4Network, ports: tuple[int, int]) -> list[Verdict]:
    """How the ACL treats TCP to/from `peer` on each part of the port range, rules in order."""
    pending = [ports]
    found = []
    entries = sorted((e for e in acl.get("Entries") or [] if e.get("Egress") == egress),
                     key=lambda e: e["RuleNumber"])
    for entry in entries:
        allow = entry.get("RuleAction") == "allow"
        if entry.get("Protocol") not in ("-1", TCP) or not _covers(entry, peer, allow):
            continue
        span = entry.get("PortRange") or {}
        low, high = (span.get("From", 0), span.get("To", 65535)) if entry.get("Protocol") == TCP else (0, 65535)
        still = []
        for start, end in pending:
            hit_low, hit_high = max(start, low), min(end, high)
            if hit_low > hit_high:
                still.append((start, end))
                continue
            found.append(Verdict(hit_low, hit_high, allow, entry["RuleNumber"]))
            if start < hit_low:
                still.append((start, hit_low - 1))
            if hit_high < end:
                still.append((hit_high + 1, end))
        pending = still
    found += [Verdict(start, end, False, 32767) for start, end in pending]
    return sorted(found, key=lambda verdict: verdict.low)


def denied(acl: dict, egress: bool, peer: ipaddress.IPv4Network, ports: tuple[int, int]) -> list[Verdict]:
    return [verdict for verdict in nacl_verdicts(acl, egress, peer, ports) if not verdict.allowed]


def sg_allows(groups: list[dict], egress: bool, port: int, peer: ipaddress.IPv4Network | None = None,
              peer_groups: tuple[str, ...] = ()) -> bool:
    """Some group has a rule for TCP `port` to/from the peer network or one of the peer's groups."""
    for group in groups:
        for rule in group.get("IpPermissionsEgress" if egress else "IpPermissions") or []:
            protocol = str(rule.get("IpProtocol"))
            if protocol not in ("-1", "tcp", TCP):
                continue
            if protocol != "-1" and not rule.get("FromPort", 0) <= port <= rule.get("ToPort", 65535):
                continue
            if peer is not None and any(peer.subnet_of(network(r["CidrIp"])) for r in rule.get("IpRanges") or []):
                return True
            if any(pair.get("GroupId") in peer_groups for pair in rule.get("UserIdGroupPairs") or []):
                return True
    return False


def free_rule_number(acl: dict, egress: bool, before: int) -> int:
    """A rule number below `before` that the ACL does not use (for an allow that must come first)."""
    used = {e["RuleNumber"] for e in acl.get("Entries") or [] if e.get("Egress") == egress}
    for number in range(before - 1, 0, -1):
        if number not in used:
            return number
    return 1
