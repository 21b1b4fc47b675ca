"""What the Kubernetes drills do to the local platform's workloads: change the worker Deployment the way a bad
release would, wait for the pod it brings, make that pod report what a kubelet would report for a crash (kwok
runs no container, so the drills write the pod's status as a kubelet does), and put everything back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tbyte.doctor.drills.bench import Bench

NAMESPACE = "tbyte"
WORKER = "deployment/worker"
KEPT = ("template", "minReadySeconds", "progressDeadlineSeconds")


def now(offset: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pods(bench: Bench, release: str) -> list[dict]:
    return bench.kubectl_json("-n", NAMESPACE, "get", "pods", "-l", f"app.kubernetes.io/instance={release}")["items"]


def remember_worker(bench: Bench) -> None:
    """The worker's spec as `invoke up` left it, kept until the drill is restored."""
    if "worker" not in bench.stash:
        spec = bench.kubectl_json("-n", NAMESPACE, "get", WORKER)["spec"]
        bench.stash["worker"] = {key: spec.get(key) for key in KEPT}
        bench.stash["worker-pods"] = [pod["metadata"]["name"] for pod in pods(bench, "worker")]
        bench.save()


def change_worker(bench: Bench, patch: dict, hold: bool = True) -> None:
    """A new revision of the worker (a merge patch of its spec). `hold` keeps the old pod serving until the new one
    has been ready for a while, as it would stay while a crashing pod never becomes available."""
    remember_worker(bench)
    spec = {**patch.get("spec", {}), **({"minReadySeconds": 60} if hold else {})}
    bench.kubectl("-n", NAMESPACE, "patch", WORKER, "--type=strategic", "-p", json.dumps({**patch, "spec": spec}))


def new_worker_pod(bench: Bench, phase: str = "Running") -> str:
    """The pod of the worker's new revision, once it is in `phase`."""
    before = set(bench.stash.get("worker-pods", []))
    found: list[str] = []

    def appeared() -> bool:
        found[:] = [pod["metadata"]["name"] for pod in pods(bench, "worker") if pod["metadata"]["name"] not in before
                    and not pod["metadata"].get("deletionTimestamp") and pod.get("status", {}).get("phase") == phase]
        return bool(found)

    bench.wait(f"a new {phase} worker pod", appeared)
    return found[0]


def report_container(bench: Bench, pod: str, waiting: dict, terminated: dict | None, restarts: int) -> None:
    """Write the pod's status as the kubelet would while its container fails (kwok never touches it again)."""
    item = bench.kubectl_json("-n", NAMESPACE, "get", "pod", pod)
    container = item["spec"]["containers"][0]
    conditions = [{"type": kind, "status": "True" if kind in ("Initialized", "PodScheduled") else "False",
                   "lastTransitionTime": now(), **({} if kind in ("Initialized", "PodScheduled") else
                                                    {"reason": "ContainersNotReady"})}
                  for kind in ("Initialized", "Ready", "ContainersReady", "PodScheduled")]
    status = {"name": container["name"], "image": container["image"], "imageID": "", "ready": False,
              "started": False, "restartCount": restarts, "state": {"waiting": waiting},
              "lastState": {"terminated": terminated} if terminated else {}}
    bench.kubectl("-n", NAMESPACE, "patch", "pod", pod, "--subresource=status", "--type=merge", "-p",
                  json.dumps({"status": {"conditions": conditions, "containerStatuses": [status]}}))


def crash(bench: Bench, reason: str, exit_code: int, message: str = "") -> None:
    """A new worker revision whose container keeps exiting: CrashLoopBackOff after `reason`."""
    change_worker(bench, {"spec": {"template": {"spec": {"containers": [
        {"name": "worker", "env": [{"name": "WORKER_QUEUE_URL", "value": "sqs://missing-queue"}]}]}}}})
    pod = new_worker_pod(bench)
    report_container(bench, pod, {"reason": "CrashLoopBackOff",
                                  "message": f"back-off 2m40s restarting failed container=worker pod={pod}"},
                     {"exitCode": exit_code, "reason": reason, "message": message, "startedAt": now(-20),
                      "finishedAt": now(-5)}, restarts=5)


def restore_worker(bench: Bench) -> None:
    """The worker's spec back as it was, and its rollout finished."""
    kept = bench.stash.get("worker")
    if kept:
        current = bench.kubectl_json("-n", NAMESPACE, "get", WORKER)["spec"]
        operations = [{"op": "add", "path": f"/spec/{key}", "value": value} if value is not None else
                      {"op": "remove", "path": f"/spec/{key}"} for key, value in kept.items()
                      if value is not None or key in current]
        bench.kubectl("-n", NAMESPACE, "patch", WORKER, "--type=json", "-p", json.dumps(operations))
    bench.kubectl("-n", NAMESPACE, "rollout", "status", WORKER, "--timeout=120s")
    bench.wait("the worker's old pods gone", lambda: all(
        pod.get("status", {}).get("phase") == "Running" and all(
            c.get("ready") for c in pod.get("status", {}).get("containerStatuses", []))
        for pod in pods(bench, "worker")))
