"""Small readings of Kubernetes objects shared by the analyzers: names, selectors, owners, conditions, the
workload behind a pod, and the fixes that act on a workload (undo its last revision, patch its pod template)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tbyte.doctor.actions import Invoke, Kubectl
from tbyte.doctor.k8s.snapshot import Snapshot

HELM_RELEASE = "meta.helm.sh/release-name"
REVISION = "deployment.kubernetes.io/revision"


def name(item: dict) -> str:
    return item["metadata"]["name"]


def namespace(item: dict) -> str:
    return item["metadata"].get("namespace", "")


def ref(kind: str, item: dict) -> str:
    """How a finding names an object: "pod tbyte/api-1" or "node ip-10-...". """
    where = namespace(item)
    return f"{kind} {where}/{name(item)}" if where else f"{kind} {name(item)}"


def labels(item: dict) -> dict:
    return item["metadata"].get("labels") or {}


def selects(selector: dict, item_labels: dict) -> bool:
    return bool(selector) and all(item_labels.get(key) == value for key, value in selector.items())


def condition(item: dict, kind: str) -> dict | None:
    for entry in (item.get("status") or {}).get("conditions") or []:
        if entry.get("type") == kind:
            return entry
    return None


def age(timestamp: str | None, now: datetime | None = None) -> str:
    """ "3m" from an RFC 3339 time, for evidence."""
    if not timestamp:
        return "unknown"
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def live_pods(snapshot: Snapshot, where: str | None = None) -> list[dict]:
    """Pods that are meant to run: not finished, not being deleted."""
    return [pod for pod in snapshot.of("Pod", where) if not pod["metadata"].get("deletionTimestamp")
            and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def owner(snapshot: Snapshot, item: dict) -> dict | None:
    """The controlling owner of an object, when it is in the snapshot."""
    for reference in item["metadata"].get("ownerReferences") or []:
        if reference.get("controller"):
            return snapshot.find(reference["kind"], namespace(item), reference["name"])
    return None


def workload(snapshot: Snapshot, pod: dict) -> dict | None:
    """The Deployment or Rollout behind a pod (through its ReplicaSet), or its direct owner."""
    parent = owner(snapshot, pod)
    if parent is not None and parent["kind"] == "ReplicaSet":
        return owner(snapshot, parent) or parent
    return parent


def kind_name(item: dict) -> str:
    return {"Deployment": "deployment", "Rollout": "rollout", "ReplicaSet": "replicaset",
            "StatefulSet": "statefulset", "DaemonSet": "daemonset"}.get(item["kind"], item["kind"].lower())


def resource(item: dict) -> str:
    """kubectl's name for the object: deployment/worker, rollouts.argoproj.io/api."""
    plural = "rollouts.argoproj.io" if item["kind"] == "Rollout" else kind_name(item)
    return f"{plural}/{name(item)}"


def replica_sets(snapshot: Snapshot, deployment: dict) -> list[dict]:
    uid = deployment["metadata"].get("uid")
    return [rs for rs in snapshot.of("ReplicaSet", namespace(deployment))
            if any(r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or [])]


def previous_revision(snapshot: Snapshot, deployment: dict) -> dict | None:
    """The ReplicaSet of the Deployment's revision before the current one, if it still exists."""
    revisions = sorted(((int((rs["metadata"].get("annotations") or {}).get(REVISION, "0")), rs)
                        for rs in replica_sets(snapshot, deployment)), key=lambda pair: pair[0])
    return revisions[-2][1] if len(revisions) >= 2 else None


def undo(snapshot: Snapshot, env: str, item: dict | None) -> tuple[str, tuple]:
    """Return a workload to what ran before: (words, actions). A Deployment with an earlier revision is undone
    with kubectl; a Helm release (a Rollout's, say) is rolled back with `invoke helm.rollback`."""
    if item is None:
        return "", ()
    if item["kind"] == "Deployment" and previous_revision(snapshot, item) is not None:
        return (f"return {resource(item)} to its previous revision, which ran",
                (Kubectl.of("-n", namespace(item), "rollout", "undo", resource(item)),))
    release = (item["metadata"].get("annotations") or {}).get(HELM_RELEASE)
    if release:
        return (f"roll the Helm release {release} back to its previous revision",
                (Invoke.of("helm.rollback", "--env", env, "--release", release),))
    return "", ()


def patch(item: dict, operations: list[dict]) -> Kubectl:
    """A JSON patch of a workload (or any object) as one kubectl command."""
    return Kubectl.of("-n", namespace(item), "patch", resource(item), "--type=json", "-p",
                      json.dumps(operations, separators=(",", ":")))


def pointer(key: str) -> str:
    """A map key as a JSON pointer segment."""
    return key.replace("~", "~0").replace("/", "~1")


def release_of(item: dict) -> str | None:
    return (item["metadata"].get("annotations") or {}).get(HELM_RELEASE) or labels(item).get(
        "app.kubernetes.io/instance")
