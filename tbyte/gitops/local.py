"""The add-ons the local control plane runs for real, as install steps for `invoke up` (tbyte/cluster wires them).

Each local-capable add-on of the catalogue installs from its pinned Go module (sources.py): CRDs first, then its
plain manifests or its chart (with the catalogue's values for `local`, references resolved from the local
outputs). The others are rendered and schema-validated only (tests/gitops). Nothing here talks to a cluster:

    for step in local.install_steps(Environment.resolve("local"), outputs):
        apply step.crds, then step.manifests (kubectl/server-side apply), or
        helm upgrade --install step.name step.chart --namespace step.namespace --values <step.values>
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.values import deep_merge
from tbyte.gitops.catalogue import Addon, addons
from tbyte.gitops.metadata import cluster_metadata
from tbyte.gitops.references import for_local


@dataclass(frozen=True)
class InstallStep:
    name: str
    namespace: str
    source: str  # module@version
    crds: tuple[Path, ...] = ()
    manifests: tuple[Path, ...] = ()
    chart: Path | None = None
    values: dict = field(default_factory=dict)


def local_addons() -> list[Addon]:
    """The local-capable add-ons, in sync-wave order (CRD providers first)."""
    return [addon for addon in addons() if addon.local.capable]


def not_local_addons() -> list[tuple[str, str]]:
    """The others and why: (add-on, reason)."""
    return [(addon.name, addon.local.reason) for addon in addons() if not addon.local.capable]


def crd_files() -> list[Path]:
    """Every local-capable add-on's CRDs, from its pinned module, CRD providers first."""
    return [path for addon in local_addons() if addon.local.crds for path in addon.module.files(addon.local.crds)]


def install_step(addon: Addon, env: Environment, outputs: dict) -> InstallStep:
    if not addon.local.capable:
        raise Refused(f"{addon.name} is not local-capable: {addon.local.reason}")
    local = addon.local
    values = {}
    if local.chart:
        metadata = cluster_metadata(env, outputs, addons())
        values = for_local(deep_merge(addon.values_for(env.name), local.values), env, addon, metadata)
    return InstallStep(
        name=addon.name, namespace=addon.namespace, source=str(addon.module),
        crds=tuple(addon.module.files(local.crds)) if local.crds else (),
        manifests=tuple(addon.module.files(local.manifests)) if local.manifests else (),
        chart=addon.module.path_in(local.chart) if local.chart else None,
        values=values,
    )


def install_steps(env: Environment, outputs: dict) -> list[InstallStep]:
    """Every local-capable add-on's step, CRD providers first; the modules are downloaded on first use."""
    return [install_step(addon, env, outputs) for addon in local_addons()]
