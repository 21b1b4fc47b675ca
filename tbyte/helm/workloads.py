"""Waiting until a release's workloads are available: Deployments (their Available condition, which helm --wait
already waits for) and Argo Rollouts (phase Healthy: the controller's verdict once every canary step and its
analysis passed; Degraded when the analysis aborted the canary and the stable version keeps serving)."""

from __future__ import annotations

import time

from tbyte.cluster.kubectl import Kubectl
from tbyte.core.errors import ChangeFailed


def rollout_state(rollout: dict) -> tuple[str, str]:
    status = rollout.get("status") or {}
    current = str(rollout["metadata"].get("generation")) == str(status.get("observedGeneration"))
    return (status.get("phase", "Progressing") if current else "Progressing"), status.get("message", "")


def wait_for_rollout(kubectl: Kubectl, namespace: str, name: str, timeout: float = 600) -> str:
    """Until the Rollout is Healthy (returned) or Degraded (an aborted canary: refused with its message)."""
    deadline = time.monotonic() + timeout
    while True:
        rollout = kubectl.get("rollouts.argoproj.io", name, namespace=namespace)
        if rollout is None:
            return "absent"
        phase, message = rollout_state(rollout)
        if phase == "Healthy":
            return phase
        if phase == "Degraded" or time.monotonic() > deadline:
            raise ChangeFailed(f"the rollout of {namespace}/{name} is {phase}: {message or 'no message'}; the stable "
                               "version keeps serving",
                               f"`invoke rollout.status --release {name}` shows the analysis; fix, then deploy again "
                               "(or `invoke helm.rollback`)")
        time.sleep(1)
