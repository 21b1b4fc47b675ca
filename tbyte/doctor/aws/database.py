"""B2 "the ASG's instances cannot reach the database" (AWS030-AWS033): from every node group (the Auto Scaling
group EKS runs for it: its subnets and the security groups its launch template gives the instances) to every
database of the VPC: the database's state and port, its security group's ingress, the nodes' egress, and the
network ACLs of both subnets in both directions."""

from __future__ import annotations

from tbyte.doctor.actions import AwsCall
from tbyte.doctor.aws import network as net
from tbyte.doctor.aws.egress import acl_finding
from tbyte.doctor.aws.inventory import Inventory
from tbyte.doctor.findings import Finding


def analyze(inventory: Inventory) -> list[Finding]:
    found: dict[tuple[str, str], Finding] = {}
    for database in inventory.databases:
        for finding in _database(inventory, database):
            found.setdefault((finding.code, finding.object), finding)
    return list(found.values())


def _database(inventory: Inventory, database: dict) -> list[Finding]:
    ident, status = database["DBInstanceIdentifier"], database.get("DBInstanceStatus")
    where = f"database {ident}"
    if status != "available":
        actions = (AwsCall.of("rds", "StartDBInstance", DBInstanceIdentifier=ident),) if status == "stopped" else ()
        return [Finding("AWS030", "critical", where, f"the database is {status}",
                        (f"DBInstanceStatus {status}; endpoint {(database.get('Endpoint') or {}).get('Address')}",),
                        "a stopped instance refuses every connection (and AWS starts it again after 7 days): start "
                        "it" if status == "stopped" else "wait for the operation to end, or read its events "
                        "(`aws rds describe-events --source-identifier ...`)", actions)]
    port = (database.get("Endpoint") or {}).get("Port") or database.get("DbInstancePort")
    db_groups = [group["VpcSecurityGroupId"] for group in database.get("VpcSecurityGroups") or []
                 if group.get("Status") == "active"]
    db_subnets = [s["SubnetIdentifier"] for s in (database.get("DBSubnetGroup") or {}).get("Subnets") or []]
    found = []
    for group in inventory.node_groups:
        found += _path(inventory, group, database, int(port), db_groups, db_subnets)
    return found


def _own_group(inventory: Inventory, ids: list[str]) -> dict:
    groups = [inventory.security_groups[g] for g in ids if g in inventory.security_groups]
    return next((g for g in groups if not g.get("GroupName", "").startswith("eks-cluster-sg")), groups[0])


def _path(inventory: Inventory, group: dict, database: dict, port: int, db_groups: list[str],
          db_subnets: list[str]) -> list[Finding]:
    ident, nodes = database["DBInstanceIdentifier"], f"node group {group['nodegroupName']}"
    node_ids = group["securityGroups"]
    node_sgs = [inventory.security_groups[g] for g in node_ids if g in inventory.security_groups]
    db_sgs = [inventory.security_groups[g] for g in db_groups if g in inventory.security_groups]
    cidrs = {sid: net.network(inventory.subnets[sid]["CidrBlock"]) for sid in [*group.get("subnets", []), *db_subnets]
             if sid in inventory.subnets}
    found = []
    node_cidrs = [cidrs[s] for s in group.get("subnets", []) if s in cidrs]
    if db_sgs and not all(net.sg_allows(db_sgs, False, port, cidr, tuple(node_ids)) for cidr in node_cidrs):
        own = _own_group(inventory, node_ids)
        engine = "PostgreSQL" if database.get("Engine", "").startswith("postgres") else database.get("Engine", "")
        found.append(Finding(
            "AWS031", "critical", f"security group {db_groups[0]} of database {ident}",
            f"it does not admit {nodes} on port {port}",
            (f"no ingress rule of {', '.join(db_groups)} allows tcp/{port} from {', '.join(node_ids)} or the nodes' "
             f"subnets {', '.join(map(str, node_cidrs))}",),
            f"allow the nodes' security group {own['GroupId']} in (the rds module's allowed_security_group_ids)",
            (AwsCall.of("ec2", "AuthorizeSecurityGroupIngress", GroupId=db_groups[0], IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": [
                    {"GroupId": own["GroupId"], "Description": f"{engine} from {own['GroupId']}"}]}]),)))
    db_cidrs = [cidrs[s] for s in db_subnets if s in cidrs]
    if node_sgs and not all(net.sg_allows(node_sgs, True, port, cidr, tuple(db_groups)) for cidr in db_cidrs):
        own = _own_group(inventory, node_ids)
        found.append(Finding(
            "AWS032", "critical", f"security group {own['GroupId']} ({own.get('GroupName', '')})",
            f"{nodes} may not connect out to port {port} of database {ident}",
            (f"no egress rule of {', '.join(node_ids)} allows tcp/{port} to {', '.join(map(str, db_cidrs))} or "
             f"{', '.join(db_groups)}",),
            "restore the nodes' egress (all traffic out, as the node-group module declares)",
            (AwsCall.of("ec2", "AuthorizeSecurityGroupEgress", GroupId=own["GroupId"], IpPermissions=[
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "Egress"}]}]),)))
    path = f"{nodes} to database {ident} (tcp/{port})"
    for node_subnet in group.get("subnets", []):
        for db_subnet in db_subnets:
            if node_subnet not in cidrs or db_subnet not in cidrs:
                continue
            hops = [(node_subnet, True, cidrs[db_subnet], (port, port)),
                    (db_subnet, False, cidrs[node_subnet], (port, port)),
                    (db_subnet, True, cidrs[node_subnet], net.EPHEMERAL),
                    (node_subnet, False, cidrs[db_subnet], net.EPHEMERAL)]
            for subnet, egress, peer, ports in hops:
                finding = acl_finding(inventory, subnet, egress, peer, ports, "AWS033", path)
                if finding:
                    found.append(finding)
    return found
