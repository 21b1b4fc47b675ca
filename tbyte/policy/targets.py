"""The checkov jobs of a scan: modules, one Terraform folder, secrets, workflows, rendered Helm manifests, plans
in JSON. (The saved plans of an environment: plan_targets.py.)"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.policy.config import SECRETS_EXCLUDED, WORKFLOWS
from tbyte.policy.model import Target


def _excluded_path_patterns(base: Path) -> list[str]:
    return [f"^{re.escape(str(base / name))}(/|$)" for name in SECRETS_EXCLUDED] + \
        [f"/{re.escape(name)}(/|$)" for name in ("__pycache__", ".terraform", ".terragrunt-cache")]


def modules_target() -> Target:
    return Target("modules", "modules", "terraform", ["-d", str(paths.MODULES)], prefix="modules/")


def path_target(directory: str | Path) -> Target:
    directory = Path(directory)
    if not directory.is_dir():
        raise Refused(f"--path {directory}: no such directory")
    if not any(directory.rglob("*.tf")) and not any(directory.rglob("*.tf.json")):
        raise Refused(f"--path {directory}: no Terraform files (*.tf) in it")
    shown = paths.shown(directory)
    return Target(f"path {shown}", "path", "terraform", ["-d", str(directory.resolve())], prefix=f"{shown}/")


def secrets_target(base: Path = paths.ROOT) -> Target:
    inputs = ["-d", str(base), "--enable-secret-scan-all-files"]
    for pattern in _excluded_path_patterns(base):
        inputs += ["--skip-path", pattern]
    return Target("secrets", "secrets", "secrets", inputs, prefix="")


def workflows_target() -> Target:
    if not WORKFLOWS.is_dir() or not any(WORKFLOWS.glob("*.y*ml")):
        return Target("workflows", "workflows", "github_actions", skipped="no .github/workflows yet")
    return Target("workflows", "workflows", "github_actions", ["-d", str(WORKFLOWS)], prefix=".github/workflows/")


def plan_file_target(plan_json: Path, name: str, module_dirs: list[Path] = (), env: str | None = None) -> Target:
    """A plan in JSON (`terraform show -json`), enriched with the modules it was made from when given.

    Enriched records carry the module file's repository-relative path (tbyte/scan_checkov.py makes them so).
    """
    inputs = ["-f", str(plan_json)]
    for directory in module_dirs:
        inputs += ["--repo-root-for-plan-enrichment", str(directory)]
    return Target(name, "plans", "terraform_plan", inputs, prefix="", env=env)


def manifests_target(directory: Path, name: str = "helm") -> Target:
    return Target(name, "helm", "kubernetes", ["-d", str(directory)], prefix=f"{paths.shown(directory)}/")


def helm_target(directory: Path) -> Target:
    """Every release of every environment rendered offline (example outputs) into <directory>/<env>/<release>.yaml."""
    from tbyte.core.environment import Environment
    from tbyte.helm import releases, render
    from tbyte.helm.outputs import example_outputs

    def render_env(env: str) -> list[Path]:
        manifests = render.render_all(Environment.resolve(env), example_outputs(env))
        written = []
        for release, text in manifests.items():
            path = directory / env / f"{release}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
        return written

    environments = releases.environments()
    with ThreadPoolExecutor(max_workers=max(1, len(environments))) as pool:
        written = [path for paths_ in pool.map(render_env, environments) for path in paths_]
    if not written:
        return Target("helm", "helm", "kubernetes", skipped="no release in helm/releases/")
    return manifests_target(directory)
