"""Where a release's canary stands: phase, step, weight (replica counts without a traffic router), analysis."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tbyte.cluster.kubectl import Kubectl
from tbyte.core.errors import Refused
from tbyte.helm.workloads import rollout_state


@dataclass
class Measurement:
    metric: str
    phase: str
    value: str


@dataclass
class RolloutStatus:
    release: str
    phase: str
    message: str
    step: str  # "3/5: pause 2s"
    weight: int  # % of the desired replicas on the canary version (basic canary: replica counts)
    stable_replicas: int
    canary_replicas: int
    analysis: str  # the latest AnalysisRun's phase and message
    measurements: list[Measurement] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def describe_step(steps: list[dict], index: int | None) -> str:
    if index is None or index >= len(steps):
        return f"{len(steps)}/{len(steps)}: done"
    step = steps[index]
    what = f"setWeight {step['setWeight']}" if "setWeight" in step else \
        f"pause {(step.get('pause') or {}).get('duration', 'until promoted')}" if "pause" in step else \
        ", ".join(step)
    return f"{index + 1}/{len(steps)}: {what}"


def _owned_by(item: dict, owner: dict) -> bool:
    return any(ref.get("uid") == owner["metadata"]["uid"] for ref in item["metadata"].get("ownerReferences") or [])


def rollout_status(kubectl: Kubectl, namespace: str, release: str) -> RolloutStatus:
    rollout = kubectl.get("rollouts.argoproj.io", release, namespace=namespace)
    if rollout is None:
        raise Refused(f"{namespace}/{release} has no Rollout (is its canary enabled, and is it deployed?)")
    status = rollout.get("status") or {}
    phase, message = rollout_state(rollout)
    stable_hash, current_hash = status.get("stableRS"), status.get("currentPodHash")
    replica_sets = (kubectl.get("replicasets", namespace=namespace) or {}).get("items", [])
    owned = [rs for rs in replica_sets if _owned_by(rs, rollout)]

    def ready(pod_hash: str | None) -> int:
        return sum(int((rs.get("status") or {}).get("readyReplicas") or 0) for rs in owned
                   if rs["metadata"].get("labels", {}).get("rollouts-pod-template-hash") == pod_hash)

    stable, canary = ready(stable_hash), (ready(current_hash) if current_hash != stable_hash else 0)
    desired = int(rollout["spec"].get("replicas") or status.get("replicas") or 1)
    runs = [run for run in (kubectl.get("analysisruns.argoproj.io", namespace=namespace) or {}).get("items", [])
            if _owned_by(run, rollout)]
    latest = max(runs, key=lambda run: run["metadata"]["creationTimestamp"], default=None)
    measurements, analysis = [], "none yet"
    if latest is not None:
        run_status = latest.get("status") or {}
        analysis = f"{latest['metadata']['name']}: {run_status.get('phase', 'Pending')}" + \
            (f" ({run_status['message']})" if run_status.get("message") else "")
        for result in run_status.get("metricResults") or []:
            last = (result.get("measurements") or [{}])[-1]
            measurements.append(Measurement(result["name"], last.get("phase", result.get("phase", "?")),
                                            str(last.get("value", "-"))))
    steps = ((rollout["spec"].get("strategy") or {}).get("canary") or {}).get("steps") or []
    return RolloutStatus(release, phase, message, describe_step(steps, status.get("currentStepIndex")),
                         round(100 * canary / desired) if current_hash != stable_hash else 100 if phase == "Healthy"
                         else 0, stable, canary, analysis, measurements)
