"""The add-on catalogue: platform/addons/<name>.yaml, one file per add-on (the format: platform/README.md).

Each file names the add-on's chart (repository, chart, pinned version), namespace, service account and IRSA role
(created by modules/iam from these same files: terragrunt/_envcommon/iam.hcl), its values (shared, then per
environment), extra manifests, and whether and how it installs into the local control plane (from a Go module).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.core.values import deep_merge
from tbyte.gitops.sources import ModuleSource

CATALOGUE = paths.ROOT / "platform" / "addons"
ENVIRONMENTS = ("local", "dev", "stage", "prod")

REQUIRED = {"name", "description", "namespace"}
OPTIONAL = {"syncWave", "chart", "serviceAccount", "irsa", "values", "environments", "manifests", "generated",
            "module", "local", "bootstrap"}
# Policies modules/iam creates a role with for a catalogue add-on (variable addon_roles), and the roles the
# module has of its own (output service_accounts keys).
IAM_POLICIES = {"cluster_autoscaler", "grafana_cloudwatch"}
IAM_OWN_ROLES = {"alb_controller", "external_secrets"}
GENERATORS = {"prometheus-rules", "grafana-dashboards", "grafana-datasources", "collector-config"}


@dataclass(frozen=True)
class Local:
    """How an add-on installs into the local control plane: paths inside its Go module, or why it cannot."""

    capable: bool
    reason: str = ""
    crds: tuple[str, ...] = ()
    manifests: tuple[str, ...] = ()
    chart: str | None = None
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Addon:
    name: str
    description: str
    namespace: str
    sync_wave: int
    chart: dict | None
    service_account: str | None
    irsa: dict | None
    values: dict
    environments: dict
    manifests: tuple[dict, ...]
    generated: tuple[str, ...]
    module: ModuleSource | None
    local: Local
    bootstrap: dict | None
    path: Path

    @property
    def is_bootstrap(self) -> bool:
        """Installed by gitops.bootstrap (Argo CD itself), not by an ApplicationSet."""
        return self.bootstrap is not None

    def values_for(self, env: str) -> dict:
        """The chart values of an environment: the shared values with the environment's merged over them."""
        return deep_merge(self.values, self.environments.get(env) or {})


def _problem(path: Path, message: str) -> Refused:
    return Refused(f"{paths.shown(path)}: {message}")


def _local(path: Path, document: dict, module: ModuleSource | None) -> Local:
    local = document.get("local")
    if not isinstance(local, dict) or not isinstance(local.get("capable"), bool):
        raise _problem(path, "needs `local.capable` (true or false)")
    if not local["capable"]:
        if not local.get("reason"):
            raise _problem(path, "an add-on that is not local-capable says why (`local.reason`)")
        return Local(False, local["reason"])
    if module is None:
        raise _problem(path, "a local-capable add-on names the Go module its manifests come from (`module`)")
    result = Local(True, "", tuple(local.get("crds") or ()), tuple(local.get("manifests") or ()), local.get("chart"),
                   local.get("values") or {})
    if not (result.crds or result.manifests or result.chart):
        raise _problem(path, "a local-capable add-on lists its `crds`, `manifests` or `chart` in its module")
    return result


def load(path: Path) -> Addon:
    """One catalogue file, checked: a wrong key or a missing part is refused naming the file."""
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise _problem(path, f"not valid YAML: {error}") from None
    missing, unknown = REQUIRED - set(document), set(document) - REQUIRED - OPTIONAL
    if missing or unknown:
        raise _problem(path, f"missing {sorted(missing)}, unknown {sorted(unknown)} (the format: platform/README.md)")
    if document["name"] != path.stem:
        raise _problem(path, f"`name` {document['name']!r} differs from the file name")
    module = ModuleSource.from_dict(document["module"]) if document.get("module") else None
    bootstrap = document.get("bootstrap")
    chart = document.get("chart")
    if bootstrap is None:
        if not isinstance(chart, dict) or not {"repository", "name", "version"} <= set(chart):
            raise _problem(path, "needs `chart` with repository, name and version")
        if not document.get("serviceAccount"):
            raise _problem(path, "needs `serviceAccount`: the one its IRSA role and NetworkPolicies name")
    elif module is None:
        raise _problem(path, "a bootstrap add-on installs from a Go module (`module`)")
    irsa = document.get("irsa")
    if irsa is not None:
        policy = irsa.get("policy")
        if policy is None and irsa.get("role") not in IAM_OWN_ROLES:
            raise _problem(path, f"irsa.role must be one of modules/iam's roles {sorted(IAM_OWN_ROLES)} "
                                 f"or come with irsa.policy (one of {sorted(IAM_POLICIES)})")
        if policy is not None and (policy not in IAM_POLICIES or irsa.get("role") != document["name"]):
            raise _problem(path, f"irsa.policy must be one of {sorted(IAM_POLICIES)}, with irsa.role the add-on's name")
    environments = document.get("environments") or {}
    if set(environments) - set(ENVIRONMENTS):
        raise _problem(path, f"unknown environments {sorted(set(environments) - set(ENVIRONMENTS))}")
    generated = tuple(document.get("generated") or ())
    if set(generated) - GENERATORS:
        raise _problem(path, f"unknown generated manifests {sorted(set(generated) - GENERATORS)}; "
                             f"known: {sorted(GENERATORS)}")
    return Addon(
        name=document["name"], description=document["description"], namespace=document["namespace"],
        sync_wave=int(document.get("syncWave", 1)), chart=chart, service_account=document.get("serviceAccount"),
        irsa=irsa, values=document.get("values") or {}, environments=environments,
        manifests=tuple(document.get("manifests") or ()), generated=generated, module=module,
        local=_local(path, document, module), bootstrap=bootstrap, path=path,
    )


@functools.cache
def addons(directory: Path = CATALOGUE) -> tuple[Addon, ...]:
    """Every add-on of the catalogue, in sync-wave order (then by name)."""
    found = [load(path) for path in sorted(directory.glob("*.yaml"))]
    if not found:
        raise Refused(f"{paths.shown(directory)} holds no add-on")
    return tuple(sorted(found, key=lambda addon: (addon.sync_wave, addon.name)))


def addon(name: str, directory: Path = CATALOGUE) -> Addon:
    for candidate in addons(directory):
        if candidate.name == name:
            return candidate
    raise Refused(f"no add-on {name!r} in {paths.shown(directory)}")
