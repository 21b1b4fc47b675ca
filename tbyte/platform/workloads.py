"""Waiting until the workloads of a namespace are available: Deployments (their Available condition) and Argo
Rollouts (phase Healthy, the controller's verdict once every step and analysis passed)."""

from __future__ import annotations

import time

from tbyte.cluster.kubectl import Kubectl
from tbyte.core.errors import ChangeFailed


def rollout_state(rollout: dict) -> tuple[str, str]:
    status = rollout.get("status") or {}
    current = str(rollout["metadata"].get("generation")) == str(status.get("observedGeneration"))
    return (status.get("phase", "Progressing") if current else "Progressing"), status.get("message", "")


def wait_available(kubectl: Kubectl, namespace: str, timeout: float = 300) -> list[str]:
    """The names of the namespace's Deployments and Rollouts, once all of them are available."""
    deployments = [item["metadata"]["name"] for item in
                   (kubectl.get("deployments", namespace=namespace) or {}).get("items", [])]
    if deployments:
        kubectl.run("wait", "--for=condition=Available", f"--timeout={int(timeout)}s", "-n", namespace,
                    *[f"deployment/{name}" for name in deployments])
    deadline = time.monotonic() + timeout
    while True:
        rollouts = (kubectl.get("rollouts.argoproj.io", namespace=namespace) or {}).get("items", [])
        states = {item["metadata"]["name"]: rollout_state(item) for item in rollouts}
        waiting = {name: state for name, state in states.items() if state[0] != "Healthy"}
        if not waiting:
            return sorted(deployments + list(states))
        degraded = {name: message for name, (phase, message) in waiting.items() if phase == "Degraded"}
        if degraded or time.monotonic() > deadline:
            problems = "; ".join(f"{name}: {phase} {message}".strip() for name, (phase, message) in waiting.items())
            raise ChangeFailed(f"the rollouts of {namespace} are not healthy: {problems}",
                               "`invoke rollout.status --env local --release <name>` shows why; fix and deploy again")
        time.sleep(1)
