"""Deployments that stopped progressing or lack replicas (K8S070, K8S071) and Argo Rollouts that are degraded or
paused (K8S080, K8S081)."""

from __future__ import annotations

from tbyte.doctor.actions import Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import age, condition, name, namespace, ref, undo
from tbyte.doctor.k8s.snapshot import Snapshot


def analyze(snapshot: Snapshot, env: str) -> list[Finding]:
    found = []
    for deployment in snapshot.of("Deployment", snapshot.namespace):
        finding = _deployment(snapshot, env, deployment)
        if finding:
            found.append(finding)
    for rollout in snapshot.of("Rollout", snapshot.namespace):
        finding = _rollout(snapshot, env, rollout)
        if finding:
            found.append(finding)
    return found


def _counts(item: dict) -> str:
    status = item.get("status") or {}
    return (f"{status.get('availableReplicas', 0)}/{item['spec'].get('replicas', 1)} available, "
            f"{status.get('updatedReplicas', 0)} updated, {status.get('readyReplicas', 0)} ready")


def _deployment(snapshot: Snapshot, env: str, deployment: dict) -> Finding | None:
    progressing, available = condition(deployment, "Progressing"), condition(deployment, "Available")
    words, actions = undo(snapshot, env, deployment)
    if progressing and progressing.get("status") == "False":
        return Finding("K8S070", "critical", ref("deployment", deployment),
                       f"the rollout stopped progressing ({progressing.get('reason', '?')})",
                       (f"{progressing.get('message', '')} ({age(progressing.get('lastTransitionTime'))} ago)",
                        _counts(deployment)),
                       "its new pods never became available (their own findings say why)"
                       + (f"; {words}" if words else "; fix them and deploy again"), actions)
    if available and available.get("status") == "False":
        return Finding("K8S071", "critical", ref("deployment", deployment), "the Deployment lacks available replicas",
                       (f"Available=False ({available.get('reason', '?')}) for "
                        f"{age(available.get('lastTransitionTime'))}", _counts(deployment)),
                       "its pods are not ready (their own findings say why: crashes, pending, a node down)")
    return None


def _analysis(snapshot: Snapshot, rollout: dict) -> list[str]:
    uid = rollout["metadata"].get("uid")
    runs = [run for run in snapshot.of("AnalysisRun", namespace(rollout))
            if any(r.get("uid") == uid for r in run["metadata"].get("ownerReferences") or [])]
    latest = max(runs, key=lambda run: run["metadata"].get("creationTimestamp", ""), default=None)
    if latest is None:
        return []
    status = latest.get("status") or {}
    lines = [f"analysis {name(latest)}: {status.get('phase', '?')}"
             + (f" ({status['message']})" if status.get("message") else "")]
    for result in sorted(status.get("metricResults") or [], key=lambda result: result.get("name", "")):
        last = (result.get("measurements") or [{}])[-1]
        lines.append(f"metric {result['name']}: {result.get('phase', '?')}, last value {last.get('value', '-')}")
    return lines


def _degraded_fix(message: str, analysis: list[str]) -> str:
    if message.startswith("InvalidSpec"):
        return ("the controller refuses the Rollout's spec, so nothing rolls out and the stable version keeps serving; "
                "fix what the message names (often the Ingress or Service the canary routes through)")
    if any(": Failed" in line or ": Error" in line for line in analysis):
        return ("the canary failed its analysis and the stable version keeps serving; find why the new version "
                "misbehaves (the failed metric names the signal), then deploy a fixed one")
    return ("the canary never became available and the stable version keeps serving; its pods' own findings say "
            "why (crashes, pending, probes), then deploy a fixed one")


def _rollout(snapshot: Snapshot, env: str, rollout: dict) -> Finding | None:
    status = rollout.get("status") or {}
    if str(rollout["metadata"].get("generation")) != str(status.get("observedGeneration")):
        return None  # the controller has not looked at the latest spec yet
    phase, message = status.get("phase"), status.get("message", "")
    if phase == "Degraded":
        words, actions = undo(snapshot, env, rollout)
        analysis = _analysis(snapshot, rollout)
        return Finding("K8S080", "critical", ref("rollout", rollout), f"the Rollout is Degraded: {message}",
                       (f"stable {status.get('stableRS', '?')}, current {status.get('currentPodHash', '?')}, "
                        f"{'aborted' if status.get('abort') else 'not aborted'}", *analysis),
                       _degraded_fix(message, analysis) + (f", or {words}" if words else ""), actions)
    if phase == "Paused":
        conditions = status.get("pauseConditions") or []
        since = ", ".join(f"{c.get('reason', '?')} since {c.get('startTime', '?')}" for c in conditions)
        evidence = [f"paused: {since}" if conditions else "paused by spec.paused"]
        if rollout["spec"].get("paused"):
            return Finding("K8S081", "warning", ref("rollout", rollout), "the Rollout is paused by hand",
                           (*evidence, message or "spec.paused is true"),
                           "nothing progresses until it is resumed (kubectl argo rollouts resume does the same)",
                           (Kubectl.of("-n", namespace(rollout), "patch", "rollouts.argoproj.io", name(rollout),
                                       "--type=merge", "-p", '{"spec":{"paused":false}}'),))
        return Finding("K8S081", "warning", ref("rollout", rollout), "the Rollout waits at a pause step",
                       tuple(evidence), "a pause step without a duration waits for a person: promote it when the "
                       f"canary looks right (`kubectl argo rollouts promote {name(rollout)} -n {namespace(rollout)}`)")
    return None
