"""Pending pods and why the scheduler cannot place them (K8S010-K8S014), read from its PodScheduled condition
and checked against the nodes: untolerated taints, node selectors no node satisfies, requests larger than what
any node has left, PersistentVolumeClaims that are not bound."""

from __future__ import annotations

import re

from tbyte.doctor.actions import Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import (
    age,
    condition,
    labels,
    live_pods,
    name,
    namespace,
    patch,
    pointer,
    ref,
    undo,
    workload,
)
from tbyte.doctor.k8s.resources import allocatable_left, pod_requests, quantity_text
from tbyte.doctor.k8s.snapshot import Snapshot

CONTROLLER_TAINTS = "node.kubernetes.io/"  # not-ready, unreachable, pressure: the node's problem, not the pod's


def clauses(message: str) -> list[str]:
    """ "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {a: b}. preemption: ..."
    -> ["1 Insufficient cpu", "1 node(s) had untolerated taint {a: b}"]"""
    head = message.split(". preemption:")[0].rstrip(".")
    _, _, reasons = head.partition("are available: ")
    return [part.strip() for part in re.split(r", (?=\d+ |pod has)", reasons or head) if part.strip()]


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    for toleration in tolerations:
        if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
            continue
        if toleration.get("operator") == "Exists" and not toleration.get("key"):
            return True
        if toleration.get("key") != taint.get("key"):
            continue
        if toleration.get("operator") == "Exists" or toleration.get("value", "") == taint.get("value", ""):
            return True
    return False


def untolerated(pod: dict, node: dict) -> list[dict]:
    tolerations = pod["spec"].get("tolerations") or []
    return [taint for taint in node["spec"].get("taints") or [] if taint.get("effect") in ("NoSchedule", "NoExecute")
            and not tolerates(tolerations, taint)]


def taint_text(taint: dict) -> str:
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint['key']}{value}:{taint['effect']}"


def analyze(snapshot: Snapshot, env: str) -> list[Finding]:
    found = []
    for pod in live_pods(snapshot, snapshot.namespace):
        scheduled = condition(pod, "PodScheduled")
        if pod["spec"].get("nodeName") or not scheduled or scheduled.get("status") != "False":
            continue
        found.append(_pending(snapshot, env, pod, scheduled))
    return found


def _pending(snapshot: Snapshot, env: str, pod: dict, scheduled: dict) -> Finding:
    message = scheduled.get("message") or scheduled.get("reason") or "no reason given"
    reasons = clauses(message)
    evidence = [f"pending for {age(scheduled.get('lastTransitionTime'))}: {message}"]
    nodes = snapshot.of("Node")
    owner = workload(snapshot, pod)
    undo_words, undo_actions = undo(snapshot, env, owner)
    text = " ".join(reasons)
    if "untolerated taint" in text:
        return _taints(pod, nodes, evidence)
    if "node affinity/selector" in text or "didn't match Pod's node affinity" in text:
        return _selector(pod, owner, nodes, evidence)
    if "Insufficient" in text or "Too many pods" in text:
        requests = pod_requests(pod)
        for node in nodes:
            left = allocatable_left(snapshot, node)
            evidence.append(f"node {name(node)} has {quantity_text(left)} left; the pod requests "
                            f"{quantity_text(requests)}")
        return Finding("K8S012", "critical", ref("pod", pod), "no node has the resources the pod requests",
                       tuple(evidence), "lower the pod's requests (helm/releases/<env>.yaml resources.requests) or "
                       "add capacity (the node group's max size, a larger instance type)"
                       + (f"; if its last change raised them, {undo_words}" if undo_words else ""), undo_actions)
    if "PersistentVolumeClaim" in text or "persistentvolumeclaim" in text:
        return _claims(snapshot, pod, evidence)
    return Finding("K8S014", "warning", ref("pod", pod), "the pod is not scheduled", tuple(evidence),
                   f"read the scheduler's events: `kubectl -n {namespace(pod)} describe pod {name(pod)}`")


def _taints(pod: dict, nodes: list[dict], evidence: list[str]) -> Finding:
    removable = []
    for node in nodes:
        blocking = untolerated(pod, node)
        if blocking:
            evidence.append(f"node {name(node)} has the untolerated taint(s) "
                            f"{', '.join(taint_text(t) for t in blocking)}")
            removable += [(node, taint) for taint in blocking if not taint["key"].startswith(CONTROLLER_TAINTS)]
    actions = tuple(Kubectl.of("taint", "node", name(node), f"{taint_text(taint)}-") for node, taint in removable)
    return Finding("K8S010", "critical", ref("pod", pod), "every node carries a taint the pod does not tolerate",
                   tuple(evidence), "remove the taint if it is not meant to be there; if it is (a node group's "
                   "`taints`, a dedicated pool), give the workload a matching toleration in its release file",
                   actions)


def _selector(pod: dict, owner: dict | None, nodes: list[dict], evidence: list[str]) -> Finding:
    selector = pod["spec"].get("nodeSelector") or {}
    unmatched = sorted(key for key, value in selector.items()
                       if not any(labels(node).get(key) == value for node in nodes))
    for key in unmatched:
        evidence.append(f"nodeSelector {key}={selector[key]}: no node has this label")
    if (pod["spec"].get("affinity") or {}).get("nodeAffinity"):
        evidence.append("the pod also has a required node affinity; compare it with the nodes' labels")
    actions = ()
    if unmatched and owner is not None and owner["kind"] in ("Deployment", "Rollout"):
        actions = (patch(owner, [{"op": "remove", "path": f"/spec/template/spec/nodeSelector/{pointer(key)}"}
                                 for key in unmatched]),)
    return Finding("K8S011", "critical", ref("pod", pod), "no node matches the pod's node selector or affinity",
                   tuple(evidence), "drop the selector terms no node satisfies from the workload (here: "
                   f"{', '.join(unmatched) or 'see the affinity'}), or add a node group that carries those labels",
                   actions)


def _claims(snapshot: Snapshot, pod: dict, evidence: list[str]) -> Finding:
    classes = {name(item) for item in snapshot.of("StorageClass")}
    for volume in pod["spec"].get("volumes") or []:
        claim_name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if not claim_name:
            continue
        claim = snapshot.find("PersistentVolumeClaim", namespace(pod), claim_name)
        if claim is None:
            evidence.append(f"claim {claim_name} does not exist")
            continue
        wanted = claim["spec"].get("storageClassName")
        phase = (claim.get("status") or {}).get("phase", "Pending")
        missing = f" (no StorageClass {wanted} exists; the classes are: {', '.join(sorted(classes)) or 'none'})" \
            if wanted and wanted not in classes else ""
        evidence.append(f"claim {claim_name} is {phase}, storage class {wanted or 'default'}{missing}")
    return Finding("K8S013", "critical", ref("pod", pod), "a PersistentVolumeClaim of the pod is not bound",
                   tuple(evidence), "give the claim a StorageClass that exists (on EKS the EBS CSI driver's gp3) or "
                   "create the one it names; a claim's class cannot change, so recreate the claim")
