"""The AWS infrastructure, drawn from the Terraform states of an environment.

`invoke docs.figures` brings `local` up in a private emulator and reads every stack's state (the state bucket,
as Terraform wrote it); `inventory()` keeps each managed resource's address, type and a few attributes that say
what it is (zone, CIDR, sizes, engine...), never an id, ARN or value that could be a secret, into
docs/data/aws-<env>.json. `diagram()` draws that file: the VPC's tiers per availability zone, NAT, the node
groups, RDS and ElastiCache in their subnets, the endpoints, and the regional services around them.
"""

from __future__ import annotations

import json
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.docs.diagrams import Cluster, Diagram, Edge, Node, identifier

ENVIRONMENT = "local"  # the one environment that can be applied without an AWS account (the embedded emulator)
DATA = paths.ROOT / "docs" / "data"

# type -> {attribute kept: how it is read from the state's attributes}
KEPT = {
    "aws_vpc": {"cidr_block": "cidr_block"},
    "aws_subnet": {"cidr_block": "cidr_block", "availability_zone": "availability_zone", "tier": "tags.Tier"},
    "aws_nat_gateway": {"subnet": "@subnet_id"},
    "aws_vpc_endpoint": {"service_name": "service_name", "vpc_endpoint_type": "vpc_endpoint_type"},
    "aws_flow_log": {"traffic_type": "traffic_type"},
    "aws_eks_cluster": {"version": "version", "endpoint_public_access": "vpc_config.0.endpoint_public_access",
                        "endpoint_private_access": "vpc_config.0.endpoint_private_access",
                        "log_types": "enabled_cluster_log_types"},
    "aws_eks_node_group": {"name": "node_group_name", "instance_types": "instance_types",
                           "capacity_type": "capacity_type", "scaling": "scaling_config.0", "subnets": "@subnet_ids"},
    "aws_db_instance": {"engine": "engine", "engine_version": "engine_version", "instance_class": "instance_class",
                        "multi_az": "multi_az", "availability_zone": "availability_zone",
                        "storage_encrypted": "storage_encrypted", "backup_retention_period": "backup_retention_period",
                        "deletion_protection": "deletion_protection"},
    "aws_db_subnet_group": {"subnets": "@subnet_ids"},
    "aws_elasticache_subnet_group": {"subnets": "@subnet_ids"},
    "aws_elasticache_replication_group": {
        "engine_version": "engine_version", "node_type": "node_type",
        "nodes": "number_cache_clusters|num_cache_clusters",
        "multi_az": "multi_az_enabled", "automatic_failover": "automatic_failover_enabled",
        "transit_encryption": "transit_encryption_enabled", "at_rest_encryption": "at_rest_encryption_enabled"},
    "aws_ecr_repository": {"name": "name", "image_tag_mutability": "image_tag_mutability",
                           "scan_on_push": "image_scanning_configuration.0.scan_on_push"},
    "aws_wafv2_web_acl": {"scope": "scope", "rules": "rule.*.name"},
    "aws_cloudwatch_metric_alarm": {"namespace": "namespace", "metric_name": "metric_name"},
    "aws_cloudwatch_log_group": {"retention_in_days": "retention_in_days"},
    "aws_secretsmanager_secret": {"name": "name"},
    "aws_kms_key": {"enable_key_rotation": "enable_key_rotation"},
    "aws_backup_plan": {"schedules": "rule.*.schedule"},
    "aws_security_group_rule": {"type": "type", "from_port": "from_port", "to_port": "to_port"},
    "aws_iam_role": {"name": "name"},
}


def _read(attributes: dict, path: str):
    for alternative in path.split("|"):
        value = attributes
        parts = alternative.split(".")
        for index, part in enumerate(parts):
            if part == "*":
                rest = ".".join(parts[index + 1:])
                return sorted(_read(item, rest) for item in value or [])
            if isinstance(value, list):
                value = value[int(part)] if len(value) > int(part) else None
            elif isinstance(value, dict):
                value = value.get(part)
            else:
                value = None
        if value is not None:
            return value
    return None


def address(resource: dict, instance: dict) -> str:
    base = ".".join(filter(None, [resource.get("module"), resource["type"], resource["name"]]))
    key = instance.get("index_key")
    if key is None:
        return base
    return f"{base}[{key}]" if isinstance(key, int) else f'{base}["{key}"]'


def inventory(states: dict[str, dict], env_name: str, measured_at: str) -> dict:
    """The kept attributes of every managed resource of every stack's state ({stack: state JSON})."""
    by_id = {}
    for stack, state in states.items():
        for resource in (state or {}).get("resources", []):
            for instance in resource.get("instances", []) if resource.get("mode") == "managed" else []:
                identifier_ = instance.get("attributes", {}).get("id")
                if identifier_:
                    by_id[identifier_] = f"{stack}:{address(resource, instance)}"
    found: dict[str, list[dict]] = {}
    for stack in sorted(states):
        entries = []
        for resource in (states[stack] or {}).get("resources", []):
            if resource.get("mode") != "managed":
                continue
            for instance in resource.get("instances", []):
                attributes = instance.get("attributes", {})
                kept = {}
                for name, path in KEPT.get(resource["type"], {}).items():
                    if path.startswith("@"):
                        value = _read(attributes, path[1:])
                        value = [by_id.get(item, "?") for item in value] if isinstance(value, list) else \
                            by_id.get(value, "?")
                    else:
                        value = _read(attributes, path)
                    kept[name] = value
                entries.append({"address": address(resource, instance), "type": resource["type"], **kept})
        found[stack] = sorted(entries, key=lambda entry: entry["address"])
    return {"environment": env_name, "measured_at": measured_at,
            "source": f"the Terraform state of every stack of {env_name} after `invoke up`, read from its state "
                      "bucket in the embedded emulator",
            "stacks": found}


def inventory_file(env_name: str = ENVIRONMENT) -> Path:
    return DATA / f"aws-{env_name}.json"


def load_inventory(env_name: str = ENVIRONMENT) -> dict:
    path = inventory_file(env_name)
    if not path.exists():
        raise Refused(f"{paths.shown(path)} is missing: run `invoke docs.figures --only platform` (it brings "
                      f"{env_name} up in a private emulator and reads its states)")
    return json.loads(path.read_text())


def _of(found: dict, kind: str) -> list[dict]:
    return [entry for entries in found["stacks"].values() for entry in entries if entry["type"] == kind]


def _short(address: str) -> str:
    return address.split(":", 1)[-1]


def diagram(found: dict) -> Diagram:
    env_name = found["environment"]
    vpcs = _of(found, "aws_vpc")
    subnets = _of(found, "aws_subnet")
    if not vpcs or not subnets:
        raise Refused(f"docs/data/aws-{env_name}.json has no VPC or no subnets: run `invoke docs.figures --only "
                      "platform` again")
    result = Diagram("aws", f"AWS: the {env_name} environment, from its Terraform states", "TB",
                     source=f"the Terraform states of `{env_name}` after `invoke up` "
                            f"({paths.shown(inventory_file(env_name))}, written by `invoke docs.figures`)")
    subnet_address = {f"vpc:{entry['address']}": entry for entry in subnets}
    nats = {_short(entry["subnet"]): entry for entry in _of(found, "aws_nat_gateway")}
    groups = _of(found, "aws_eks_node_group")
    databases = _of(found, "aws_db_instance")
    caches = _of(found, "aws_elasticache_replication_group")
    cache_subnets = {_short(address) for group in _of(found, "aws_elasticache_subnet_group")
                     for address in group["subnets"]}
    zones = sorted({entry["availability_zone"] for entry in subnets})
    vpc = Cluster("vpc", f"VPC {vpcs[0]['cidr_block']}", "vpc")
    vpc.nodes.append(Node("igw", "Internet gateway", "network"))
    for endpoint in _of(found, "aws_vpc_endpoint"):
        service = endpoint["service_name"].rsplit(".", 1)[-1]
        vpc.nodes.append(Node(identifier("endpoint", service), f"VPC endpoint {service}\n"
                              f"({endpoint['vpc_endpoint_type']})", "network"))
    tiers = {"public": 0, "private": 1, "database": 2}
    for zone in zones:
        box = Cluster(identifier(zone), zone, "zone")
        for subnet in sorted((entry for entry in subnets if entry["availability_zone"] == zone),
                             key=lambda entry: tiers.get(entry["tier"], 9)):
            lines = [f"{subnet['tier']} subnet {subnet['cidr_block']}"]
            if subnet["address"] in nats:
                lines.append("NAT gateway")
            for group in groups:
                if any(_short(item) == subnet["address"] for item in group["subnets"]):
                    scaling = group["scaling"] or {}
                    lines.append(f"node group {group['name']}: {', '.join(group['instance_types'])}, "
                                 f"{scaling.get('min_size')}–{scaling.get('max_size')} nodes")
            if subnet["tier"] == "database":
                for database in databases:
                    if database["availability_zone"] == zone:
                        lines.append(f"RDS {database['engine']} {database['engine_version']} primary")
                    elif database["multi_az"]:
                        lines.append("RDS standby (Multi-AZ)")
                if subnet["address"] in cache_subnets:
                    lines.append("ElastiCache subnet group")
            kind = {"public": "network", "private": "compute", "database": "data"}.get(subnet["tier"], "network")
            box.nodes.append(Node(identifier(zone, subnet["tier"]), "\n".join(lines), kind,
                                  "cylinder" if subnet["tier"] == "database" else "box"))
        vpc.clusters.append(box)
    for cache in caches:
        nodes = cache["nodes"] or 0
        features = [name for name, on in (("TLS", cache["transit_encryption"]),
                                          ("encrypted at rest", cache["at_rest_encryption"]),
                                          ("automatic failover", cache["automatic_failover"])) if on]
        vpc.nodes.append(Node("redis", f"ElastiCache Redis {cache['engine_version']}: {nodes} node"
                              f"{'s' if nodes > 1 else ''} ({cache['node_type']})\n{', '.join(features)}", "data",
                              "cylinder"))
    regional = Cluster("regional", f"regional services ({zones[0][:-1]})", "group")
    clusters = _of(found, "aws_eks_cluster")
    for cluster in clusters:
        access = "private endpoint" if not cluster["endpoint_public_access"] else "public + private endpoint"
        regional.nodes.append(Node("eks", f"EKS control plane {cluster['version']}\n{access}", "compute"))
    repositories = _of(found, "aws_ecr_repository")
    if repositories:
        regional.nodes.append(Node("ecr", f"ECR: {len(repositories)} repositories\n"
                                   f"{repositories[0]['image_tag_mutability'].lower()} tags, scan on push",
                                   "registry"))
    secrets = _of(found, "aws_secretsmanager_secret")
    if secrets:
        regional.nodes.append(Node("secrets", "Secrets Manager\n" + ", ".join(sorted(s["name"] for s in secrets)),
                                   "security"))
    keys = _of(found, "aws_kms_key")
    if keys:
        regional.nodes.append(Node("kms", f"KMS: {len(keys)} customer-managed keys\n"
                                   f"{sum(bool(k['enable_key_rotation']) for k in keys)} with rotation", "security"))
    alarms, logs = _of(found, "aws_cloudwatch_metric_alarm"), _of(found, "aws_cloudwatch_log_group")
    dashboards = _of(found, "aws_cloudwatch_dashboard")
    if alarms or logs:
        regional.nodes.append(Node("cloudwatch", f"CloudWatch: {len(alarms)} alarms, {len(dashboards)} dashboard, "
                                   f"{len(logs)} log groups", "ops"))
    if _of(found, "aws_sns_topic"):
        regional.nodes.append(Node("sns", "SNS alarm topic", "ops"))
    plans = _of(found, "aws_backup_plan")
    if plans:
        regional.nodes.append(Node("backup", "AWS Backup: vault, plan\n" + ", ".join(plans[0]["schedules"]), "ops"))
    acls = _of(found, "aws_wafv2_web_acl")
    result.nodes.append(Node("users", "Users", "external", "oval"))
    edge_label = "ALB (from the Ingress, by the AWS Load Balancer Controller)"
    if acls:
        edge_label += f"\nWAF web ACL: {len(acls[0]['rules'])} rules"
    vpc.nodes.insert(0, Node("alb", edge_label, "edge"))
    result.nodes.append(Node("internet", "Internet", "external", "oval"))
    result.ranks = [[identifier(zone, tier) for zone in zones] for tier in ("public", "private", "database")]
    result.ranks.append(["users", "internet"])
    present = [node.id for node in regional.nodes]
    half = (len(present) + 1) // 2
    result.columns = [present[:half], present[half:]]
    result.clusters.append(vpc)
    result.clusters.append(regional)
    result.edges.append(Edge("users", "alb", "HTTPS"))
    for zone in zones:
        result.edges.append(Edge("alb", identifier(zone, "public"), "in the public subnets", dashed=True))
    nat_zones = [subnet_address[f"vpc:{address}"]["availability_zone"] for address in nats]
    for zone in zones:
        public, private, database = (identifier(zone, tier) for tier in ("public", "private", "database"))
        result.edges.append(Edge("alb", private, "IP targets"))
        result.edges.append(Edge(private, database, "5432"))
        nat = identifier(zone if zone in nat_zones else nat_zones[0], "public") if nat_zones else None
        if nat:
            result.edges.append(Edge(private, nat, "egress (NAT)", dashed=True, upward=True))
    for zone in sorted(set(nat_zones)):
        result.edges.append(Edge(identifier(zone, "public"), "igw", upward=True))
    result.edges.append(Edge("igw", "internet", upward=True))
    if caches:
        result.edges.append(Edge(identifier(zones[0], "private"), "redis", "6379 (TLS)"))
    if clusters:
        result.edges.append(Edge(identifier(zones[0], "private"), "eks", "kubelet", dashed=True))
    if repositories:
        result.edges.append(Edge(identifier(zones[0], "private"), "ecr", "image pulls", dashed=True))
    if alarms and _of(found, "aws_sns_topic"):
        result.edges.append(Edge("cloudwatch", "sns", "alarms"))
    if plans and databases:
        result.edges.append(Edge("backup", identifier(zones[0], "database"), "backups", dashed=True))
    for endpoint in _of(found, "aws_vpc_endpoint"):
        service = endpoint["service_name"].rsplit(".", 1)[-1]
        result.edges.append(Edge(identifier(zones[0], "private"), identifier("endpoint", service), dashed=True))
    return result


def resource_count(found: dict) -> int:
    return sum(len(entries) for entries in found["stacks"].values())
