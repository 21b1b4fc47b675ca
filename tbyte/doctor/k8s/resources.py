"""CPU and memory quantities: what pods request and what nodes have left."""

from __future__ import annotations

from tbyte.doctor.k8s.objects import live_pods, name
from tbyte.doctor.k8s.snapshot import Snapshot

SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 10**3, "M": 10**6, "G": 10**9, "m": 0.001}


def parse(value) -> float:
    text = str(value)
    for suffix, factor in SUFFIXES.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def pod_requests(pod: dict) -> dict[str, float]:
    total = {"cpu": 0.0, "memory": 0.0}
    for container in pod["spec"].get("containers", []):
        requests = (container.get("resources") or {}).get("requests") or {}
        for key in total:
            total[key] += parse(requests.get(key, 0))
    return total


def allocatable_left(snapshot: Snapshot, node: dict) -> dict[str, float]:
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    left = {key: parse(allocatable.get(key, 0)) for key in ("cpu", "memory")}
    for pod in live_pods(snapshot):
        if pod["spec"].get("nodeName") == name(node):
            for key, value in pod_requests(pod).items():
                left[key] -= value
    return left


def quantity_text(values: dict[str, float]) -> str:
    return f"cpu {round(values['cpu'] * 1000)}m, memory {round(values['memory'] / 2**20)}Mi"
