"""`invoke cluster.*`: the local Kubernetes control plane of `local` (no containers; kwok simulates the nodes)."""

import json

from tbyte.cluster import local
from tbyte.core.console import show, table
from tbyte.core.environment import LOCAL
from tbyte.core.task import environment, task


@task
def start(c):
    """Start the local control plane unless it runs (idempotent): etcd, kube-apiserver, controllers, kwok nodes
    mirroring the local node group, Argo Rollouts, the upstream CRDs; waits until it is ready for workloads."""
    state = local.start(environment(c, LOCAL))
    show(f"local control plane ready at {state['endpoint']}; kubeconfig {state['kubeconfig']}")


@task
def stop(c):
    """Stop every process of the local control plane (its data stays until `invoke down`)."""
    stopped = local.stop(environment(c, LOCAL))
    show(f"stopped: {', '.join(stopped)}" if stopped else "no process of the local control plane was running")


@task(help={"json": "print one JSON object: endpoint, kubeconfig, ready and each component"})
def status(c, json_=False):
    """Say whether each component of the local control plane runs and answers its health check."""
    state = local.status(environment(c, LOCAL))
    if json_:
        print(json.dumps(state))
        return
    rows = [[name, "yes" if item["running"] else "no", "yes" if item["healthy"] else "no", item["pid"] or "-"]
            for name, item in state["components"].items()]
    table(f"Local control plane at {state['endpoint']} ({'ready' if state['ready'] else 'not ready'})",
          ["component", "running", "healthy", "pid"], rows)
