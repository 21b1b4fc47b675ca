"""kwok nodes that mirror the local node group, so that scheduling behaves as on the real one.

The node groups are the node-group stack's own inputs, as Terragrunt renders them (instance types, desired
size, labels, taints, capacity type); each node gets the labels EKS puts on a managed node, the capacity of
its instance type and the allocatable EKS's AMI leaves after its reservations (kube-reserved from the
max-pods formula, the 100Mi eviction threshold).
"""

from __future__ import annotations

from dataclasses import dataclass

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.infra.graph import render

KWOK_ANNOTATION = {"kwok.x-k8s.io/node": "fake"}
EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


@dataclass(frozen=True)
class InstanceType:
    cpus: int
    memory_mib: int
    max_pods: int  # EKS's ENI-based maximum (eni-max-pods.txt)

    def allocatable(self) -> dict[str, str]:
        reserved_cpu_m = sum(share * 1000 for share in _cpu_reservations(self.cpus))
        reserved_memory = 255 + 11 * self.max_pods + 100  # kube-reserved + eviction threshold, MiB
        return {"cpu": f"{self.cpus * 1000 - round(reserved_cpu_m)}m",
                "memory": f"{self.memory_mib - reserved_memory}Mi", "pods": str(self.max_pods),
                "ephemeral-storage": "18Gi"}

    def capacity(self) -> dict[str, str]:
        return {"cpu": str(self.cpus), "memory": f"{self.memory_mib}Mi", "pods": str(self.max_pods),
                "ephemeral-storage": "20Gi"}


def _cpu_reservations(cpus: int) -> list[float]:
    """EKS AMI kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above."""
    return [0.06 if core == 0 else 0.01 if core == 1 else 0.005 if core < 4 else 0.0025 for core in range(cpus)]


INSTANCE_TYPES = {
    "t3.medium": InstanceType(2, 3943, 17),
    "t3.large": InstanceType(2, 7975, 35),
    "m5.large": InstanceType(2, 7680, 29),
    "m6i.large": InstanceType(2, 7680, 29),
    "m6i.xlarge": InstanceType(4, 15692, 58),
}


def node_groups(env: Environment) -> dict[str, dict]:
    """The node-group stack's `node_groups` input."""
    groups = (render(env, "node-group").get("inputs") or {}).get("node_groups") or {}
    if not groups:
        raise Refused(f"the node-group stack of {env} declares no node group; no node to simulate")
    return groups


def nodes(env: Environment) -> list[dict]:
    """One Node object per node the node groups want now (their desired size)."""
    zones = env.values.get("availability_zones", ["eu-central-1a"])[: int(env.values.get("az_count", 1))]
    found = []
    for group, spec in sorted(node_groups(env).items()):
        types = spec.get("instance_types") or ["t3.medium"]
        kind = INSTANCE_TYPES.get(types[0])
        if kind is None:
            raise Refused(f"no simulated capacity for instance type {types[0]} (node group {group}); "
                          f"known: {', '.join(INSTANCE_TYPES)}")
        for index in range(int(spec.get("desired_size", 1))):
            zone = zones[index % len(zones)]
            name = f"ip-10-10-{len(found) // 250}-{10 + len(found) % 250}.{env.region}.compute.internal"
            labels = {
                "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                "node.kubernetes.io/instance-type": types[0], "topology.kubernetes.io/region": env.region,
                "topology.kubernetes.io/zone": zone, "eks.amazonaws.com/nodegroup": group,
                "eks.amazonaws.com/capacityType": spec.get("capacity_type", "ON_DEMAND"),
                **(spec.get("labels") or {}),
            }
            taints = [{"key": taint["key"], **({"value": taint["value"]} if taint.get("value") else {}),
                       "effect": EFFECTS[taint["effect"]]} for taint in spec.get("taints") or []]
            found.append({
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": labels, "annotations": KWOK_ANNOTATION},
                "spec": {"providerID": f"aws:///{zone}/i-{len(found):017x}", "taints": taints},
                "status": {"capacity": kind.capacity(), "allocatable": kind.allocatable()},
            })
    return found
