"""helm itself (the pinned build), and rendering and linting the releases offline."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.settings import Settings
from tbyte.helm.commands import lint_command, lint_values, template_command
from tbyte.helm.releases import Release, releases
from tbyte.toolchain.go_tools import GoTool
from tbyte.toolchain.setup import ensure

WORK = paths.TOOLCHAIN / "helm"
RENDERED = paths.HELM / "rendered"


def helm_binary() -> Path:
    """The pinned helm of .toolchain (built on first use)."""
    built = GoTool("helm").binary
    if built.exists():  # the fast path: ensure() would also re-hash the provider mirror
        return built
    return ensure(Settings.defaults(), log=say, tools=("helm",))["helm"]


def helm_environment() -> dict[str, str]:
    """helm keeps its configuration and caches under .toolchain/helm, never in the user's home."""
    return {**os.environ, "HELM_CONFIG_HOME": str(WORK / "config"), "HELM_CACHE_HOME": str(WORK / "cache"),
            "HELM_DATA_HOME": str(WORK / "data")}


def run_helm(command: list[str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, env=helm_environment())
    if result.returncode != 0:
        errors = [line for line in result.stdout.splitlines() if line.startswith("[ERROR]")]  # helm lint's
        raise Refused(f"{what} failed:\n{chr(10).join([*errors, result.stderr.strip()]).strip()}")
    return result


def values_file(directory: Path, release: Release, values: dict) -> Path:
    path = directory / f"{release.env}-{release.name}.values.yaml"
    path.write_text(yaml.safe_dump(values, sort_keys=False))
    return path


def render(release: Release, helm: str | Path | None = None) -> str:
    """The manifests of a release, rendered offline by `helm template`."""
    helm = helm or helm_binary()
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        command = template_command(release, values_file(Path(directory), release, release.values), helm)
        return run_helm(command, f"helm template of {release.env}/{release.name}").stdout


def render_all(env: Environment, outputs: dict, only: str | None = None) -> dict[str, str]:
    """{release: manifest text} of every release of an environment (or one), from the given outputs
    ({stack: {output: value}}: `invoke output`'s, or the example outputs offline)."""
    helm = helm_binary()
    return {release.name: render(release, helm) for release in releases(env, outputs, only)}


def lint(env: Environment, outputs: dict, only: str | None = None) -> dict[str, str]:
    """`helm lint --strict` of the chart with each release's values; {release: lint output}; raises on failure."""
    helm = helm_binary()
    results = {}
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in releases(env, outputs, only):
            path = values_file(Path(directory), release, lint_values(release))
            results[release.name] = run_helm(lint_command(release, path, helm),
                                             f"helm lint of {env}/{release.name}").stdout
            # lint reports a template's `fail` only as information; a render makes it an error.
            render(release, helm)
    return results


def write_rendered(env: Environment, manifests: dict[str, str], directory: Path | None = None) -> list[Path]:
    """One file per release, <directory>/<release>.yaml (default helm/rendered/<env>)."""
    directory = Path(directory) if directory else RENDERED / env.name
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in manifests.items():
        path = directory / f"{name}.yaml"
        path.write_text(text)
        written.append(path)
    return written
