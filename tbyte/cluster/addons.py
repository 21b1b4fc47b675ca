"""The local-capable add-ons of platform/addons installed into the local control plane (`invoke up`).

Each comes from its pinned Go module (tbyte/gitops/local.py): its CRDs are already there (crds.py installs every
local add-on's CRDs when the control plane starts), its plain manifests are applied server-side, its chart is
installed with helm, with the catalogue's values for `local`. kwok plays the pods, so an add-on is installed as
its objects, and each Deployment becomes Available; what they would do (reconcile AWS, serve metrics) is not.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from tbyte.cluster.kubectl import Kubectl
from tbyte.core import process
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import ChangeFailed, Refused
from tbyte.core.files import write_private
from tbyte.core.values import deep_merge
from tbyte.gitops.local import InstallStep, install_steps
from tbyte.helm.render import helm_binary, helm_environment

CONTEXT = "tbyte-local"
TIMEOUT = "180s"


def installable_chart(step: InstallStep, work: Path) -> Path:
    """The step's chart, or a copy without the dependencies its values turn off and its module does not ship
    (External Secrets' chart names bitwarden-sdk-server, which is off by default and absent from the zip: helm
    refuses a chart with a missing dependency, enabled or not)."""
    chart = yaml.safe_load((step.chart / "Chart.yaml").read_text())
    values = deep_merge(yaml.safe_load((step.chart / "values.yaml").read_text()) or {}, step.values)
    missing = [dependency for dependency in chart.get("dependencies") or []
               if not (step.chart / "charts" / dependency["name"]).exists()]
    if not missing:
        return step.chart
    for dependency in missing:
        if _enabled(values, dependency.get("condition")):
            raise Refused(f"{step.name}: its chart needs {dependency['name']}, which {step.source} does not ship")
    copy = work / step.name
    shutil.copytree(step.chart, copy)
    chart["dependencies"] = [dependency for dependency in chart["dependencies"] if dependency not in missing]
    (copy / "Chart.yaml").write_text(yaml.safe_dump(chart, sort_keys=False))
    (copy / "Chart.lock").unlink(missing_ok=True)
    return copy


def _enabled(values: dict, condition: str | None) -> bool:
    """A dependency's `condition` (the first of its comma-separated value paths that is set); none means on."""
    for path in (condition or "").split(","):
        value = values
        for key in filter(None, path.strip().split(".")):
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, bool):
            return value
    return True


def install_chart(step: InstallStep, kubeconfig: Path, work: Path) -> None:
    values = work / f"{step.name}.values.yaml"
    write_private(values, yaml.safe_dump(step.values, sort_keys=True))
    command = [str(helm_binary()), "upgrade", "--install", step.name, str(installable_chart(step, work)),
               "--namespace", step.namespace, "--create-namespace", "--kube-context", CONTEXT,
               "--kubeconfig", str(kubeconfig), "--values", str(values), "--wait", "--timeout", TIMEOUT]
    result = process.run(command, env=helm_environment())
    if result.returncode != 0:
        raise ChangeFailed(f"installing the add-on {step.name} ({step.source}) failed: "
                           f"{(result.stderr or result.stdout).strip().splitlines()[-1]}",
                           "`invoke cluster.status` shows the control plane; run `invoke up` again")


def install(env: Environment, outputs: dict, kubeconfig: Path, log=say) -> list[str]:
    """Every local-capable add-on installed (or upgraded) and its Deployments Available; their names."""
    kubectl = Kubectl(kubeconfig)
    steps = install_steps(env, outputs)
    with tempfile.TemporaryDirectory(prefix="tbyte-addons-") as directory:
        for step in steps:
            if not (step.manifests or step.chart):
                continue  # CRDs only: installed with the control plane
            log(f"▶ add-on {step.name} ({step.source})")
            if step.manifests:
                kubectl.apply(manifest=f"{{apiVersion: v1, kind: Namespace, metadata: {{name: {step.namespace}}}}}")
                kubectl.apply(*step.manifests, namespace=step.namespace)
            if step.chart:
                install_chart(step, kubeconfig, Path(directory))
    namespaces = sorted({step.namespace for step in steps if step.manifests or step.chart})
    for namespace in namespaces:
        kubectl.run("wait", "--for=condition=Available", f"--timeout={TIMEOUT}", "deployment", "--all",
                    "-n", namespace)
    return [step.name for step in steps]
