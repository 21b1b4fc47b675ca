"""The local control plane as a whole: start it (CRDs, controllers' RBAC, nodes), stop it, say how it is.

Its service-account issuer is the OIDC issuer of the local EKS cluster (the eks stack's output) once that stack
is applied, so tokens carry the issuer IRSA roles trust; before, the in-cluster default.
"""

from __future__ import annotations

import json
import shutil
import time

from tbyte.cluster import supervisor
from tbyte.cluster.components import DEFAULT_ISSUER
from tbyte.cluster.crds import install_controller_rbac, install_crds, install_ingress_class
from tbyte.cluster.kubectl import Kubectl
from tbyte.cluster.layout import Layout
from tbyte.cluster.nodes import KWOK_ANNOTATION, nodes
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.emulator.manager import Emulator
from tbyte.infra.backend import outputs
from tbyte.infra.graph import graph
from tbyte.toolchain.setup import ensure

CONTROL_PLANE_TOOLS = ("etcd", "kubernetes", "kwok", "argo-rollouts")


def layout(env: Environment) -> Layout:
    if not env.is_local:
        raise Refused(f"the local control plane belongs to `local`, not {env}")
    return Layout.of(env.settings)


def issuer(env: Environment) -> str:
    """The eks stack's OIDC issuer when it is applied (read from its state), else the in-cluster default."""
    stacks = graph(env).stacks
    if "eks" not in stacks or not env.memoized("emulator-running", lambda: _emulator_running(env)):
        return DEFAULT_ISSUER
    value = (outputs(stacks["eks"]).get("oidc_issuer_url") or {}).get("value")
    return value or DEFAULT_ISSUER


def _emulator_running(env: Environment) -> bool:
    return Emulator(env.settings.emulator_port).status()["running"]


def start(env: Environment) -> dict:
    """The whole control plane running and ready for workloads (idempotent)."""
    started = time.monotonic()
    where = layout(env)
    ensure(env.settings, tools=CONTROL_PLANE_TOOLS)
    where.ensure_pki()
    kubectl = Kubectl(where.kubeconfig())
    state = supervisor.start(where, issuer(env), before_controllers=lambda _: install_controller_rbac(kubectl))
    install_crds(kubectl)
    install_ingress_class(kubectl)
    sync_nodes(env, kubectl)
    _wait_for_default_service_account(kubectl)
    say(f"[green]✓[/] local control plane ready at {where.endpoint} in {time.monotonic() - started:.1f}s "
        f"(kubeconfig {where.kubeconfig()})")
    return state


def sync_nodes(env: Environment, kubectl: Kubectl) -> list[str]:
    """The kwok nodes the node groups want: missing ones created, ones no group wants any more deleted."""
    wanted = {node["metadata"]["name"]: node for node in nodes(env)}
    present = {item["metadata"]["name"] for item in (kubectl.get("nodes") or {}).get("items", [])
               if (item["metadata"].get("annotations") or {}).items() >= KWOK_ANNOTATION.items()}
    for name in sorted(present - wanted.keys()):
        kubectl.run("delete", "node", name)
    for name in sorted(wanted.keys() - present):
        kubectl.run("create", "-f", "-", stdin=json.dumps(wanted[name]))  # create: a Node's status is set on create
    kubectl.run("wait", "--for=condition=Ready", "--timeout=60s", *[f"node/{name}" for name in wanted])
    return sorted(wanted)


def _wait_for_default_service_account(kubectl: Kubectl, timeout: float = 60) -> None:
    """The controller manager's controllers are up once they made the default namespace's service account."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kubectl.get("serviceaccount", "default", namespace="default"):
            return
        time.sleep(0.3)
    raise Refused("the local control plane's controllers did not start (no default service account)")


def stop(env: Environment) -> list[str]:
    return supervisor.stop(layout(env))


def remove(env: Environment) -> None:
    """Stop it and forget it: data, certificates and kubeconfigs (`invoke down`)."""
    where = layout(env)
    supervisor.stop(where)
    shutil.rmtree(where.root, ignore_errors=True)


def status(env: Environment) -> dict:
    return supervisor.status(layout(env))
