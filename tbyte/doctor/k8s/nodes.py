"""Nodes that are not Ready or under memory, disk or PID pressure (K8S060, K8S061).

The fix for a node that stopped working is the one that works on any node group: drain it, delete it, and let
the node group replace its instance.
"""

from __future__ import annotations

import re

from tbyte.doctor.actions import AwsCall, Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import age, condition, live_pods, name, ref
from tbyte.doctor.k8s.resources import pod_requests
from tbyte.doctor.k8s.snapshot import Snapshot

PRESSURES = ("MemoryPressure", "DiskPressure", "PIDPressure")
INSTANCE = re.compile(r"^aws:///[^/]+/(i-[0-9a-f]+)$")


def analyze(snapshot: Snapshot, env: str) -> list[Finding]:
    found = []
    for node in snapshot.of("Node"):
        pods = [pod for pod in live_pods(snapshot) if pod["spec"].get("nodeName") == name(node)]
        ready = condition(node, "Ready")
        if ready is None or ready.get("status") != "True":
            found.append(_not_ready(node, ready, pods, env))
            continue
        for kind in PRESSURES:
            entry = condition(node, kind)
            if entry and entry.get("status") == "True":
                found.append(_pressure(node, entry, pods, env))
    return found


def replace(node: dict, env: str) -> tuple:
    """Drain, delete, and (on AWS) terminate the instance so that its node group starts a fresh one."""
    actions = [Kubectl.of("drain", name(node), "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=120s"),
               Kubectl.of("delete", "node", name(node))]
    instance = INSTANCE.match(node["spec"].get("providerID") or "")
    if instance and env != "local":  # local's nodes are kwok's: no instance stands behind them
        actions.append(AwsCall.of("ec2", "TerminateInstances", InstanceIds=[instance.group(1)]))
    return tuple(actions)


def _taints(node: dict) -> str:
    taints = node["spec"].get("taints") or []
    return ", ".join(f"{t['key']}:{t['effect']}" for t in taints) or "none"


def _not_ready(node: dict, ready: dict | None, pods: list[dict], env: str) -> Finding:
    if ready is None:
        state = "has no Ready condition: its kubelet never reported"
    else:
        state = (f"Ready={ready.get('status')} for {age(ready.get('lastTransitionTime'))} "
                 f"({ready.get('reason', '?')}: {ready.get('message', '')}), last heartbeat "
                 f"{age(ready.get('lastHeartbeatTime'))} ago")
    return Finding(
        "K8S060", "critical", ref("node", node), "the node is not Ready",
        (state, f"taints: {_taints(node)}", f"{len(pods)} pod(s) on it"),
        "its kubelet stopped reporting (instance down, kubelet or container runtime failed, network cut): look at "
        "the instance (`aws ec2 describe-instance-status`, its system log); to restore capacity, drain and delete "
        "the node and let its node group replace the instance", replace(node, env))


def _pressure(node: dict, entry: dict, pods: list[dict], env: str) -> Finding:
    heaviest = sorted(pods, key=lambda pod: pod_requests(pod)["memory"], reverse=True)[:3]
    return Finding(
        "K8S061", "warning", ref("node", node), f"the node reports {entry['type']}",
        (f"{entry['type']}=True for {age(entry.get('lastTransitionTime'))}: {entry.get('message', '')}",
         f"taints: {_taints(node)}",
         f"{len(pods)} pod(s) on it; the largest memory requests: "
         + (", ".join(f"{name(pod)} {round(pod_requests(pod)['memory'] / 2**20)}Mi" for pod in heaviest) or "none")),
        "the kubelet evicts pods and the scheduler avoids the node; find what fills it (memory: pods above their "
        "requests; disk: images and logs; PIDs: a fork loop) and set limits; to restore capacity now, drain and "
        "replace the node", replace(node, env))
