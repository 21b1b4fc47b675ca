"""helm.diff: the rendered manifests against the deployed ones (cluster reachable) or the previous render."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.paths import shown
from tbyte.helm.cluster import Cluster, cluster, probe, write_kubeconfig
from tbyte.helm.commands import get_manifest_command
from tbyte.helm.outputs import Outputs
from tbyte.helm.releases import Release, releases
from tbyte.helm.render import RENDERED, helm_binary, helm_environment, render


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))


def deployed_manifest(release: Release, target: Cluster, config: Path, helm: str | Path) -> str:
    """What `helm get manifest` returns for the release; "" when it was never installed."""
    result = subprocess.run(get_manifest_command(release, target.context, config, helm), capture_output=True,
                            text=True, env=helm_environment())
    if result.returncode != 0:
        if "not found" in result.stderr:
            return ""
        raise Refused(f"helm get manifest of {release.env}/{release.name} failed: {result.stderr.strip()}")
    return result.stdout


@dataclass
class DiffResult:
    release: str
    against: str
    text: str

    @property
    def changed(self) -> bool:
        return bool(self.text)


def diff(env: Environment, outputs: Outputs, only: str | None = None, previous: Path | None = None,
         log=say) -> list[DiffResult]:
    """The rendered manifests against the deployed ones (cluster reachable) or the previous render.

    The cluster is asked only with real outputs whose endpoint answers within PROBE_SECONDS; otherwise the
    comparison is with <previous>/<release>.yaml (default helm/rendered/<env>, written by helm.template).
    """
    helm = helm_binary()
    previous = Path(previous) if previous else RENDERED / env.name
    planned = releases(env, outputs.values, only)
    target = config = None
    if not outputs.example and (outputs.values.get("eks") or {}).get("cluster_endpoint"):
        candidate = cluster(env, outputs.values)
        reason = probe(candidate.endpoint)
        if reason is None and (env.is_local or shutil.which("aws")):
            target, config = candidate, write_kubeconfig(env, candidate, planned[0].namespace)
        else:
            log(f"the {env} cluster is not reachable ({reason or 'no AWS CLI for its token'}): "
                f"comparing with the previous render in {shown(previous)}")
    results = []
    for release in planned:
        new = render(release, helm)
        if target is not None:
            old, against = deployed_manifest(release, target, config, helm), f"deployed:{release.name}"
        else:
            path = previous / f"{release.name}.yaml"
            old, against = (path.read_text() if path.exists() else ""), shown(path)
            if not path.exists():
                log(f"no previous render of {release.name} ({shown(path)}): all of it is new")
        results.append(DiffResult(release.name, against, unified_diff(old, new, against, f"rendered:{release.name}")))
    return results
