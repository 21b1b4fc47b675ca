"""Services that send traffic nowhere (K8S020-K8S022): a selector no pod carries, endpoints that are not ready,
a targetPort the pods do not declare."""

from __future__ import annotations

import json

from tbyte.doctor.actions import Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import labels, live_pods, name, namespace, ref, selects
from tbyte.doctor.k8s.snapshot import Snapshot

SERVICE_NAME = "kubernetes.io/service-name"


def analyze(snapshot: Snapshot) -> list[Finding]:
    found = []
    for service in snapshot.of("Service", snapshot.namespace):
        selector = service["spec"].get("selector") or {}
        if not selector or service["spec"].get("type") == "ExternalName":
            continue
        pods = [pod for pod in live_pods(snapshot, namespace(service)) if selects(selector, labels(pod))]
        if not pods:
            found.append(_no_pods(snapshot, service, selector))
            continue
        mismatch = _target_port(service, pods)
        if mismatch is not None:
            found.append(mismatch)
            continue
        ready = ready_endpoints(snapshot, service)
        if ready == 0:
            found.append(Finding(
                "K8S021", "critical", ref("service", service), "the Service has no ready endpoint",
                (f"selector {_text(selector)} matches {len(pods)} pod(s), none ready: "
                 + ", ".join(f"{name(pod)} ({_pod_state(pod)})" for pod in pods),),
                "the pods behind it are not ready: fix them first (their own findings say why); the load balancer "
                "answers 502/503 meanwhile"))
    return found


def ready_endpoints(snapshot: Snapshot, service: dict) -> int:
    count = 0
    for slice_ in snapshot.of("EndpointSlice", namespace(service)):
        if labels(slice_).get(SERVICE_NAME) != name(service):
            continue
        count += sum(1 for endpoint in slice_.get("endpoints") or []
                     if (endpoint.get("conditions") or {}).get("ready", True))
    return count


def _text(selector: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(selector.items()))


def _pod_state(pod: dict) -> str:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    waiting = [((s.get("state") or {}).get("waiting") or {}).get("reason") for s in statuses]
    return next((reason for reason in waiting if reason), (pod.get("status") or {}).get("phase", "?"))


def _no_pods(snapshot: Snapshot, service: dict, selector: dict) -> Finding:
    """The closest pods: those sharing most of the selector's pairs (the Service's own release first)."""
    candidates = live_pods(snapshot, namespace(service))

    def closeness(pod: dict) -> tuple[int, int]:
        shared = sum(1 for key, value in selector.items() if labels(pod).get(key) == value)
        same_release = labels(pod).get("app.kubernetes.io/instance") == labels(service).get(
            "app.kubernetes.io/instance")
        return (same_release, shared)

    evidence = [f"selector {_text(selector)} matches no pod in {namespace(service)}"]
    closest = max(candidates, key=closeness, default=None)
    if closest is None or closeness(closest) == (False, 0):
        return Finding("K8S020", "critical", ref("service", service), "the Service's selector matches no pod",
                       (*evidence, "no pod of the namespace resembles it"),
                       "deploy the workload behind the Service, or point the selector at its pods' labels")
    wrong = {key: labels(closest).get(key) for key, value in selector.items() if labels(closest).get(key) != value}
    evidence.append(f"the closest pod {name(closest)} carries "
                    + ", ".join(f"{key}={labels(closest).get(key, '(none)')}" for key in sorted(wrong)))
    merge = json.dumps({"spec": {"selector": wrong}}, separators=(",", ":"))
    return Finding("K8S020", "critical", ref("service", service), "the Service's selector matches no pod",
                   tuple(evidence), "make the selector match the pods' labels (and keep the chart's selectorLabels "
                   "and the pod template's labels in step)",
                   (Kubectl.of("-n", namespace(service), "patch", "service", name(service), "--type=merge", "-p",
                               merge),))


def _target_port(service: dict, pods: list[dict]) -> Finding | None:
    declared = {}
    for pod in pods:
        for container in pod["spec"].get("containers", []):
            for port in container.get("ports") or []:
                declared[port["containerPort"]] = port.get("name")
    if not declared:
        return None  # undeclared ports cannot be checked
    for index, port in enumerate(service["spec"].get("ports") or []):
        target = port.get("targetPort", port.get("port"))
        known = target in declared.values() if isinstance(target, str) else target in declared
        if known:
            continue
        number, port_name = next(iter(declared.items()))
        replacement = port_name or number
        return Finding(
            "K8S022", "critical", ref("service", service),
            f"port {port.get('name') or port.get('port')} sends traffic to targetPort {target}, which no pod declares",
            (f"the pods declare {', '.join(f'{n}:{c}' if n else str(c) for c, n in sorted(declared.items()))}",),
            "point targetPort at the container's port (by name, so that a port change cannot break it again)",
            (Kubectl.of("-n", namespace(service), "patch", "service", name(service), "--type=json", "-p",
                        json.dumps([{"op": "replace", "path": f"/spec/ports/{index}/targetPort",
                                     "value": replacement}], separators=(",", ":"))),))
    return None
