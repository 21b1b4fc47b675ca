"""Pods whose containers crash, are OOMKilled, exit with errors or cannot pull their image (K8S001-K8S004)."""

from __future__ import annotations

from datetime import UTC, datetime

from tbyte.doctor.actions import Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import age, live_pods, namespace, ref, resource, undo, workload
from tbyte.doctor.k8s.snapshot import Snapshot

PULL_FAILURES = ("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull")
RECENT_SECONDS = 3600  # a non-zero exit this recent is reported even when the container runs again


def _terminated(status: dict) -> dict:
    """The container's last termination: the current one, else the previous one."""
    return ((status.get("state") or {}).get("terminated") or (status.get("lastState") or {}).get("terminated")
            or {})


def _termination_evidence(status: dict, now: datetime) -> list[str]:
    last = _terminated(status)
    lines = []
    if last:
        lines.append(f"last termination of {status['name']}: {last.get('reason', '?')}, exit code "
                     f"{last.get('exitCode', '?')}, {age(last.get('finishedAt'), now)} ago"
                     + (f": {last['message'].strip()}" if last.get("message") else ""))
    lines.append(f"{status.get('restartCount', 0)} restart(s) of {status['name']}")
    return lines


def _limit(pod: dict, container: str, resource_name: str) -> str | None:
    for spec in pod["spec"].get("containers", []):
        if spec["name"] == container:
            return ((spec.get("resources") or {}).get("limits") or {}).get(resource_name)
    return None


def _doubled(quantity: str) -> str:
    for suffix in ("Gi", "Mi", "Ki"):
        if quantity.endswith(suffix) and quantity[: -len(suffix)].isdigit():
            return f"{int(quantity[: -len(suffix)]) * 2}{suffix}"
    return quantity


def _recent(last: dict, now: datetime) -> bool:
    finished = last.get("finishedAt")
    if not finished:
        return False
    return (now - datetime.fromisoformat(finished.replace("Z", "+00:00"))).total_seconds() < RECENT_SECONDS


def analyze(snapshot: Snapshot, env: str, now: datetime | None = None) -> list[Finding]:
    now = now or datetime.now(UTC)
    found = []
    for pod in live_pods(snapshot, snapshot.namespace):
        statuses = (pod.get("status") or {}).get("initContainerStatuses", []) + \
            (pod.get("status") or {}).get("containerStatuses", [])
        for status in statuses:
            finding = _container(snapshot, env, pod, status, now)
            if finding is not None:
                found.append(finding)
    return found


def _container(snapshot: Snapshot, env: str, pod: dict, status: dict, now: datetime) -> Finding | None:
    waiting = (status.get("state") or {}).get("waiting") or {}
    reason, last = waiting.get("reason", ""), _terminated(status)
    owner = workload(snapshot, pod)
    words, actions = undo(snapshot, env, owner)
    logs = f"kubectl -n {namespace(pod)} logs {pod['metadata']['name']} -c {status['name']} --previous"
    container = status["name"]
    if reason in PULL_FAILURES:
        return Finding(
            "K8S004", "critical", ref("pod", pod), f"container {container} cannot pull its image ({reason})",
            (f"image {status.get('image') or '?'}", *([waiting["message"].strip()] if waiting.get("message") else [])),
            "the image or its tag does not exist, or the node may not pull it (ECR permissions of the node role, "
            "a private registry without an imagePullSecret); check the tag with `aws ecr describe-images "
            "--repository-name <repository> --image-ids imageTag=<tag>`"
            + (f"; meanwhile {words}" if words else ""), actions)
    oom = last.get("reason") == "OOMKilled"
    if oom and (reason == "CrashLoopBackOff" or _recent(last, now)):
        limit = _limit(pod, container, "memory")
        evidence = (*_termination_evidence(status, now), f"memory limit of {container}: {limit or 'none'}")
        if limit and owner is not None and owner["kind"] == "Deployment":
            raised = _doubled(limit)
            return Finding(
                "K8S002", "critical", ref("pod", pod), f"container {container} was OOMKilled",
                evidence, f"the container needs more memory than its limit {limit}: raise the limit of {container} "
                f"(to {raised} here) and keep it in the release file (helm/releases/{env}.yaml "
                "resources.limits.memory), or find the leak with a heap profile",
                (_set_limit(owner, container, raised),))
        return Finding("K8S002", "critical", ref("pod", pod), f"container {container} was OOMKilled", evidence,
                       f"the container needs more memory than its limit {limit or '(none: the node ran out)'}: raise "
                       f"resources.limits.memory in helm/releases/{env}.yaml and deploy, or find the leak")
    if reason == "CrashLoopBackOff":
        return Finding(
            "K8S001", "critical", ref("pod", pod), f"container {container} is in CrashLoopBackOff",
            tuple(_termination_evidence(status, now)),
            f"read why it exits with `{logs}`" + (f"; if its last change broke it, {words}" if words else
                                                  "; fix the cause and deploy again"), actions)
    if last and last.get("exitCode", 0) != 0 and _recent(last, now):
        return Finding(
            "K8S003", "warning", ref("pod", pod), f"container {container} exited with code {last.get('exitCode')}",
            tuple(_termination_evidence(status, now)),
            f"read why it exited with `{logs}`; restarts that keep coming become a CrashLoopBackOff")
    return None


def _set_limit(owner: dict, container: str, memory: str) -> Kubectl:
    return Kubectl.of("-n", namespace(owner), "set", "resources", resource(owner), "-c", container,
                      f"--limits=memory={memory}")
