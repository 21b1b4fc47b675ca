"""The Helm releases of every environment: rendered, linted, diffed, deployed, rolled back.

The release files and the references to the infrastructure in their values are read by tbyte.helm_releases;
the environment's cluster is reached through tbyte.helm_cluster. The helm command lines are built by pure
functions (`template_command`, `lint_command`, `deploy_command`, `rollback_command`, `status_command`,
`get_manifest_command`) so that tests can assert them exactly.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from tbyte import paths
from tbyte.errors import UserError
from tbyte.helm_cluster import (
    WORK,
    Cluster,
    cluster,
    kubeconfig,
    probe,
    require_aws_cli,
    require_reachable,
    write_kubeconfig,
)
from tbyte.helm_releases import (
    EXAMPLE_MARKER,
    Outputs,
    Release,
    deep_merge,
    environments,
    example_outputs,
    example_outputs_file,
    infrastructure_outputs,
    kube_version,
    load_outputs,
    load_release_file,
    outputs_from_file,
    release_file,
    release_names,
    releases,
    resolve,
    unresolved,
)

# The public names of the helm subsystem, whichever of its files defines them.
__all__ = [
    "CHART", "EXAMPLE_MARKER", "Cluster", "Outputs", "Release", "cluster", "deep_merge", "deploy", "diff",
    "environments", "example_outputs", "example_outputs_file", "infrastructure_outputs", "kube_version",
    "kubeconfig", "lint", "load_outputs", "load_release_file", "outputs_from_file", "release_file",
    "release_names", "releases", "render", "render_all", "resolve", "rollback", "status", "unresolved",
    "write_rendered",
]

CHART = paths.HELM / "charts" / "tbyte-service"
RENDERED = paths.HELM / "rendered"
DEPLOY_TIMEOUT = "10m"
HISTORY_MAX = 10

# ---------------------------------------------------------------------------------------------------------
# Command lines (pure)


def template_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                     chart: str | Path = CHART) -> list[str]:
    """`helm template` of a release, offline: the environment's Kubernetes version and add-on APIs given."""
    command = [str(helm), "template", release.name, str(chart), "--namespace", release.namespace,
               "--values", str(values_file), "--kube-version", release.kube_version]
    for api in release.api_versions:
        command += ["--api-versions", api]
    return command


def lint_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                 chart: str | Path = CHART) -> list[str]:
    """`helm lint --strict` with a release's values (lint has no --api-versions: see lint_values)."""
    return [str(helm), "lint", "--strict", str(chart), "--namespace", release.namespace,
            "--values", str(values_file), "--kube-version", release.kube_version]


def lint_values(release: Release) -> dict:
    """The release's values, with the environment's add-on APIs assumed (helm lint cannot be told them)."""
    return {**release.values, "assumeAPIVersions": list(release.api_versions)}


def deploy_command(release: Release, values_file: str | Path, kube_context: str, kubeconfig: str | Path,
                   helm: str | Path = "helm", chart: str | Path = CHART, timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm upgrade --install` of a release: atomic (a failed upgrade rolls back), waits until ready."""
    return [str(helm), "upgrade", "--install", release.name, str(chart),
            "--namespace", release.namespace, "--create-namespace",
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--values", str(values_file),
            "--atomic", "--wait", "--timeout", timeout, "--history-max", str(HISTORY_MAX)]


def rollback_command(release: Release, kube_context: str, kubeconfig: str | Path, revision: int | None = None,
                     helm: str | Path = "helm", timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm rollback` of a release to a revision (default: the previous one)."""
    return [str(helm), "rollback", release.name, *([str(revision)] if revision is not None else []),
            "--namespace", release.namespace, "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--wait", "--timeout", timeout, "--cleanup-on-fail", "--history-max", str(HISTORY_MAX)]


def status_command(release: Release, kube_context: str, kubeconfig: str | Path, helm: str | Path = "helm") -> list[str]:
    return [str(helm), "status", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig), "--output", "json"]


def get_manifest_command(release: Release, kube_context: str, kubeconfig: str | Path,
                         helm: str | Path = "helm") -> list[str]:
    return [str(helm), "get", "manifest", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig)]


# ---------------------------------------------------------------------------------------------------------
# Running helm


def helm_binary() -> Path:
    """The pinned helm of .toolchain (built on first use by `toolchain.ensure`)."""
    from tbyte import toolchain

    built = toolchain.GoTool("helm").binary
    if built.exists():  # the fast path: ensure() would also re-hash the provider mirror
        return built
    return toolchain.ensure(log=_say, tools=("helm",))["helm"]


def _say(message: str) -> None:
    from tbyte.console import say

    say(message)


def helm_environment() -> dict[str, str]:
    """helm keeps its configuration and caches under .toolchain/helm, never in the user's home."""
    return {**os.environ, "HELM_CONFIG_HOME": str(WORK / "config"), "HELM_CACHE_HOME": str(WORK / "cache"),
            "HELM_DATA_HOME": str(WORK / "data")}


def run_helm(command: list[str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, env=helm_environment())
    if result.returncode != 0:
        raise UserError(f"{what} failed:\n{(result.stderr or result.stdout).strip()}")
    return result


def _values_file(directory: Path, release: Release, values: dict) -> Path:
    path = directory / f"{release.env}-{release.name}.values.yaml"
    path.write_text(yaml.safe_dump(values, sort_keys=False))
    return path


def render(release: Release, helm: str | Path | None = None) -> str:
    """The manifests of a release, rendered offline by `helm template`."""
    helm = helm or helm_binary()
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        values_file = _values_file(Path(directory), release, release.values)
        command = template_command(release, values_file, helm)
        return run_helm(command, f"helm template of {release.env}/{release.name}").stdout


def render_all(env: str, outputs: dict, only: str | None = None) -> dict[str, str]:
    """{release: manifest text} of every release of an environment (or one), from the given outputs.

    outputs is {stack: {output: value}}: `operations.output(env)`, or `example_outputs(env)` offline.
    """
    helm = helm_binary()
    return {release.name: render(release, helm) for release in releases(env, outputs, only)}


def lint(env: str, outputs: dict, only: str | None = None) -> dict[str, str]:
    """`helm lint --strict` of the chart with each release's values; {release: lint output}; raises on failure."""
    helm = helm_binary()
    results = {}
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in releases(env, outputs, only):
            values_file = _values_file(Path(directory), release, lint_values(release))
            results[release.name] = run_helm(lint_command(release, values_file, helm),
                                             f"helm lint of {env}/{release.name}").stdout
            # lint reports a template's `fail` only as information; a render makes it an error.
            render(release, helm)
    return results


def write_rendered(env: str, manifests: dict[str, str], directory: Path | None = None) -> list[Path]:
    """One file per release, <directory>/<release>.yaml (default helm/rendered/<env>)."""
    directory = Path(directory) if directory else RENDERED / env
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in manifests.items():
        path = directory / f"{name}.yaml"
        path.write_text(text)
        written.append(path)
    return written


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
        raise UserError(f"helm get manifest of {release.env}/{release.name} failed: {result.stderr.strip()}")
    return result.stdout


@dataclass
class DiffResult:
    release: str
    against: str
    text: str

    @property
    def changed(self) -> bool:
        return bool(self.text)


def diff(env: str, outputs: Outputs, only: str | None = None, previous: Path | None = None,
         log=print) -> list[DiffResult]:
    """The rendered manifests against the deployed ones (cluster reachable) or the previous render.

    The cluster is asked only with real outputs whose endpoint answers within PROBE_SECONDS; otherwise the
    comparison is with <previous>/<release>.yaml (default helm/rendered/<env>, written by helm.template).
    """
    helm = helm_binary()
    previous = Path(previous) if previous else RENDERED / env
    planned = releases(env, outputs.values, only)
    target = config = None
    if not outputs.example and (outputs.values.get("eks") or {}).get("cluster_endpoint"):
        candidate = cluster(env, outputs.values)
        reason = probe(candidate.endpoint)
        if reason is None and shutil.which("aws"):
            target, config = candidate, write_kubeconfig(env, candidate, planned[0].namespace)
        else:
            log(f"the {env} cluster is not reachable ({reason or 'no AWS CLI for its token'}): "
                f"comparing with the previous render in {_shown(previous)}")
    results = []
    for release in planned:
        new = render(release, helm)
        if target is not None:
            old, against = deployed_manifest(release, target, config, helm), f"deployed:{release.name}"
        else:
            path = previous / f"{release.name}.yaml"
            old, against = (path.read_text() if path.exists() else ""), _shown(path)
            if not path.exists():
                log(f"no previous render of {release.name} ({_shown(path)}): all of it is new")
        results.append(DiffResult(release.name, against, unified_diff(old, new, against, f"rendered:{release.name}")))
    return results


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def deploy(env: str, outputs: Outputs, only: str | None = None, dry_run: bool = False, log=print,
           echo=print, image: dict | None = None) -> list[list[str]]:
    """helm upgrade --install of every release (or one), in the order of the release file.

    dry_run: print the commands and the manifests they would apply (rendered offline), change nothing.
    image: {"tag": ..., "digest": ...} of a freshly built image, for one release (CI promotes it unchanged).
    Without dry_run the cluster must answer first: an unreachable endpoint fails at once.
    """
    planned = releases(env, outputs.values, only)
    if image:
        if only is None:
            raise UserError("an image tag or digest is one service's: name its release with --release")
        planned = [replace(release, values=deep_merge(release.values, {"image": image})) for release in planned]
    if outputs.example and not dry_run:
        raise UserError(f"{outputs.source} holds example outputs, not the {env} infrastructure: refusing to deploy "
                        "with them (use --dry-run to see what would be applied); nothing was deployed")
    target = cluster(env, outputs.values)
    config_path = WORK / env / "kubeconfig"
    if not dry_run:
        require_reachable(env, target, "deploying")
        require_aws_cli()
        config_path = write_kubeconfig(env, target, planned[0].namespace)
    helm = helm_binary()
    commands = []
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in planned:
            values_file = _values_file(Path(directory), release, release.values)
            command = deploy_command(release, values_file, target.context, config_path, helm)
            commands.append(command)
            if dry_run:
                echo(f"# {' '.join(command)}")
                echo(render(release, helm))
                continue
            log(f"▶ {env}/{release.name}: helm upgrade --install (atomic, wait, {DEPLOY_TIMEOUT})")
            result = subprocess.run(command, env=helm_environment(), text=True)
            if result.returncode != 0:
                raise UserError(f"deploying {env}/{release.name} failed (helm --atomic rolled the release back); "
                                "the releases after it were not deployed")
            log(f"✓ {env}/{release.name} deployed")
    return commands


def connect(env: str, outputs: Outputs, action: str) -> tuple[Cluster, Path]:
    """The cluster and a kubeconfig for it, after checking that it answers."""
    if outputs.example:
        raise UserError(f"{outputs.source} holds example outputs: there is no {env} cluster behind them")
    target = cluster(env, outputs.values)
    require_reachable(env, target, action)
    require_aws_cli()
    return target, write_kubeconfig(env, target, load_release_file(env)["namespace"])


def rollback(env: str, outputs: Outputs, release_name: str, revision: int | None = None) -> list[str]:
    (release,) = releases(env, outputs.values, release_name)
    target, config = connect(env, outputs, "a rollback")
    command = rollback_command(release, target.context, config, revision, helm_binary())
    if subprocess.run(command, env=helm_environment(), text=True).returncode != 0:
        raise UserError(f"rollback of {env}/{release_name} failed")
    return command


def status(env: str, outputs: Outputs) -> list[dict]:
    """Each release's status as `helm status -o json` reports it ({name, status: "not installed"} if absent)."""
    planned = releases(env, outputs.values)
    target, config = connect(env, outputs, "reading the release status")
    helm = helm_binary()
    rows = []
    for release in planned:
        result = subprocess.run(status_command(release, target.context, config, helm), capture_output=True, text=True,
                                env=helm_environment())
        if result.returncode != 0:
            if "not found" in result.stderr:
                rows.append({"name": release.name, "status": "not installed"})
                continue
            raise UserError(f"helm status of {env}/{release.name} failed: {result.stderr.strip()}")
        report = json.loads(result.stdout)
        info = report.get("info", {})
        rows.append({"name": release.name, "revision": report.get("version"), "status": info.get("status"),
                     "updated": info.get("last_deployed"), "chart": report.get("chart", {}).get("metadata", {})
                     .get("version")})
    return rows

