"""The Kubernetes architecture, drawn from the rendered Helm releases of an environment (`helm template` of
helm/releases/<env>.yaml with the example outputs of helm/examples, offline): per release its workload (Rollout
or Deployment, with the HPA's range, the PDB and the canary's weights), Services, Ingress, ExternalSecret and
IRSA service account; the arrows are the NetworkPolicies' allowed egress (to other services, and to the
database and cache by their ports), the Ingress, the monitors and the analyses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from tbyte.core.environment import Environment
from tbyte.docs.diagrams import Cluster, Diagram, Edge, Node, identifier

ENVIRONMENT = "prod"  # the environment drawn: the one the platform is for (three zones, canaries, Prometheus)


@dataclass
class Release:
    name: str
    objects: list[dict] = field(default_factory=list)

    def of(self, kind: str) -> list[dict]:
        return [item for item in self.objects if item.get("kind") == kind]

    def one(self, kind: str) -> dict | None:
        found = self.of(kind)
        return found[0] if found else None


def rendered(env_name: str = ENVIRONMENT) -> tuple[dict[str, str], dict]:
    """{release: manifests} of the environment, rendered offline with its example outputs; and those outputs."""
    from tbyte.helm.outputs import example_outputs_file, outputs_from_file
    from tbyte.helm.render import render_all

    env = Environment.resolve(env_name)
    outputs = outputs_from_file(example_outputs_file(env.name)).values
    return render_all(env, outputs), outputs


def releases(manifests: dict[str, str]) -> list[Release]:
    return [Release(name, [item for item in yaml.safe_load_all(text) if item]) for name, text in sorted(
        manifests.items())]


def _workload_label(release: Release) -> tuple[str, dict | None]:
    workload = release.one("Rollout") or release.one("Deployment")
    if workload is None:
        return f"{release.name}\n(no workload)", None
    lines = [f"{workload['kind']} {workload['metadata']['name']}"]
    hpa = release.one("HorizontalPodAutoscaler")
    if hpa:
        lines.append(f"HPA {hpa['spec']['minReplicas']}–{hpa['spec']['maxReplicas']} pods")
    pdb = release.one("PodDisruptionBudget")
    if pdb and "minAvailable" in pdb["spec"]:
        lines[-1] += f", PDB min {pdb['spec']['minAvailable']}"
    canary = ((workload.get("spec") or {}).get("strategy") or {}).get("canary")
    if canary:
        weights = [str(step["setWeight"]) for step in canary.get("steps", []) if "setWeight" in step]
        lines.append("canary " + ", ".join(weights) + " %" + (", analysis" if canary.get("analysis") else ""))
    return "\n".join(lines), workload


def _port_names(outputs: dict) -> dict[int, tuple[str, str, str]]:
    """Ports of the data stores the NetworkPolicies open, by the stacks' outputs: port -> (id, label, kind)."""
    found = {}
    if "rds" in outputs and "port" in outputs["rds"]:
        found[int(outputs["rds"]["port"])] = ("rds", "RDS PostgreSQL\n(database subnets)", "data")
    if "elasticache" in outputs and "port" in outputs["elasticache"]:
        found[int(outputs["elasticache"]["port"])] = ("redis", "ElastiCache Redis, TLS\n(database subnets)", "data")
    return found


def _selected_name(peer: dict) -> str | None:
    return ((peer.get("podSelector") or {}).get("matchLabels") or {}).get("app.kubernetes.io/name")


def diagram(manifests: dict[str, str], outputs: dict, env_name: str = ENVIRONMENT) -> Diagram:
    found = releases(manifests)
    namespace = next((item["metadata"].get("namespace") for release in found for item in release.objects
                      if item["metadata"].get("namespace")), "default")
    result = Diagram("kubernetes", f"Kubernetes: the releases of {env_name} (helm/releases/{env_name}.yaml, rendered)",
                     "TB", source=f"`helm template` of helm/releases/{env_name}.yaml with "
                                  f"helm/examples/outputs-{env_name}.json")
    inside = Cluster(identifier("namespace", namespace), f"namespace {namespace}", "namespace")
    stores = _port_names(outputs)
    used: dict[str, Node] = {}

    def outside(node_id: str, label: str, kind: str, shape: str = "box") -> str:
        used.setdefault(node_id, Node(node_id, label, kind, shape))
        return node_id

    for release in found:
        box = Cluster(identifier("release", release.name), f"release {release.name}", "group")
        label, workload = _workload_label(release)
        workload_id = identifier(release.name, "workload")
        box.nodes.append(Node(workload_id, label, "compute"))
        services = [item["metadata"]["name"] for item in release.of("Service")]
        service_id = None
        if services:
            service_id = identifier(release.name, "service")
            box.nodes.append(Node(service_id, "Service " + ", ".join(services), "network"))
            result.edges.append(Edge(service_id, workload_id))
        for ingress in release.of("Ingress"):
            annotations = ingress["metadata"].get("annotations") or {}
            hosts = [rule.get("host") for rule in ingress["spec"].get("rules", []) if rule.get("host")]
            ingress_id = identifier(release.name, "ingress")
            box.nodes.append(Node(ingress_id, f"Ingress {ingress['metadata']['name']}\n" + ", ".join(hosts), "edge"))
            parts = ["ALB (AWS Load Balancer Controller)"]
            if "alb.ingress.kubernetes.io/wafv2-acl-arn" in annotations:
                parts.append("WAF web ACL")
            if "alb.ingress.kubernetes.io/certificate-arn" in annotations:
                parts.append("TLS " + annotations.get("alb.ingress.kubernetes.io/ssl-policy", ""))
            alb = outside("alb", "\n".join(part.strip() for part in parts), "edge")
            users = outside("users", "Users", "external", "oval")
            result.edges.append(Edge(users, alb, "HTTPS"))
            result.edges.append(Edge(alb, ingress_id))
            if service_id:
                result.edges.append(Edge(ingress_id, service_id, "IP targets"))
        account = release.one("ServiceAccount")
        role = ((account or {}).get("metadata", {}).get("annotations") or {}).get("eks.amazonaws.com/role-arn")
        if role:
            account_id = identifier(release.name, "serviceaccount")
            box.nodes.append(Node(account_id, f"ServiceAccount {account['metadata']['name']}\nIRSA role "
                                  + role.rsplit("/", 1)[-1], "security"))
            result.edges.append(Edge(workload_id, account_id, dashed=True))
        for secret in release.of("ExternalSecret"):
            secret_id = identifier(release.name, "externalsecret")
            keys = [entry.get("extract", {}).get("key") for entry in secret["spec"].get("dataFrom", [])]
            box.nodes.append(Node(secret_id, f"ExternalSecret {secret['metadata']['name']}\n"
                                  + ", ".join(key for key in keys if key), "security"))
            result.edges.append(Edge(secret_id, workload_id, "Secret", dashed=True))
            store = outside("secretsmanager", "AWS Secrets Manager", "security")
            result.edges.append(Edge(store, secret_id, "via SecretStore (IRSA)", dashed=True))
        for policy in release.of("NetworkPolicy"):
            for rule in policy["spec"].get("egress", []):
                ports = [port.get("port") for port in rule.get("ports", [])]
                for peer in rule.get("to", []):
                    target = _selected_name(peer)
                    if target and target != release.name:
                        result.edges.append(Edge(workload_id, identifier(target, "service"),
                                                 "TCP " + ",".join(str(port) for port in ports)))
                    elif "ipBlock" in peer:
                        for port in ports:
                            if isinstance(port, int) and port in stores:
                                node_id, text, kind = stores[port]
                                result.edges.append(Edge(workload_id, outside(node_id, text, kind, "cylinder"),
                                                         f"TCP {port}"))
        monitors = [item["kind"] for item in release.objects if item["kind"] in ("ServiceMonitor", "PodMonitor")]
        analysis = release.one("AnalysisTemplate")
        if monitors or analysis:
            prometheus = outside("prometheus", "Prometheus (namespace monitoring)", "ops")
            if monitors:
                result.edges.append(Edge(prometheus, workload_id, "/metrics (" + ", ".join(monitors) + ")",
                                         dashed=True))
            if analysis and workload and workload["kind"] == "Rollout":
                result.edges.append(Edge(workload_id, prometheus, "canary analysis", dashed=True))
        inside.clusters.append(box)
    result.clusters.append(inside)
    order = ("users", "alb", "secretsmanager", "prometheus", "rds", "redis")
    result.nodes = sorted(used.values(), key=lambda node: order.index(node.id) if node.id in order else len(order))
    known = {node.id for node in result.all_nodes()}
    result.edges = [edge for edge in _unique(result.edges) if edge.source in known and edge.target in known]
    return result


def _unique(edges: list[Edge]) -> list[Edge]:
    seen, kept = set(), []
    for edge in edges:
        key = (edge.source, edge.target, edge.label)
        if key not in seen:
            seen.add(key)
            kept.append(edge)
    return kept


def summary(manifests: dict[str, str]) -> dict[str, dict[str, int]]:
    """{release: {kind: count}} of the rendered objects (for the document's tables)."""
    return {release.name: dict(sorted({kind: len(release.of(kind)) for kind in
                                       {item["kind"] for item in release.objects}}.items()))
            for release in releases(manifests)}


def canary_steps(manifests: dict[str, str]) -> list[str]:
    """The canary steps of the first Rollout, in words (for the deck)."""
    for release in releases(manifests):
        rollout = release.one("Rollout")
        if rollout:
            steps = rollout["spec"]["strategy"]["canary"].get("steps", [])
            return [f"weight {step['setWeight']}%" if "setWeight" in step else
                    f"pause {step['pause'].get('duration', 'until promoted')}" for step in steps]
    return []


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
