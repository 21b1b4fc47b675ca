"""tflint over every Terraform module of modules/, with every rule of its bundled terraform ruleset (.tflint.hcl):
typed and documented variables and outputs, the standard module structure, naming, unused declarations,
required versions and providers, deprecated syntax.

A module is a folder with a versions.tf (the repository's module structure); each is linted on its own, so that
files that are not a module (modules/elasticache/provider3/) are not judged as one.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from tbyte.core import paths
from tbyte.core.settings import Settings
from tbyte.policy.model import Finding, Target, TargetResult
from tbyte.toolchain.setup import ensure

CONFIG = paths.ROOT / ".tflint.hcl"


def module_folders(root: Path = paths.MODULES) -> list[Path]:
    return sorted(versions.parent for versions in root.rglob("versions.tf") if ".terraform" not in versions.parts)


def lint(folder: Path, tflint: Path) -> list[Finding]:
    result = subprocess.run([str(tflint), "--chdir", str(folder), "--config", str(CONFIG), "--format", "json",
                             "--force"], capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [Finding("tflint", "tflint could not run", paths.shown(folder), paths.shown(folder), "",
                        (result.stderr or result.stdout).strip()[-500:])]
    findings = [Finding(issue["rule"]["name"], issue["message"], issue["rule"]["name"],
                        paths.shown(folder / issue["range"]["filename"]),
                        f"{issue['range']['start']['line']}-{issue['range']['end']['line']}", issue["rule"]["link"])
                for issue in report.get("issues") or []]
    findings += [Finding("tflint", "tflint error", paths.shown(folder), paths.shown(folder), "",
                         error.get("message", "")) for error in report.get("errors") or []]
    return findings


def run(folders: list[Path] | None = None) -> TargetResult:
    """One result for every module: a finding per tflint issue."""
    started = time.monotonic()
    tflint = ensure(Settings.defaults(), tools=("tflint",))["tflint"]
    folders = module_folders() if folders is None else folders
    result = TargetResult(Target("tflint", "tflint", "-"))
    for folder in folders:
        found = lint(folder, tflint)
        result.failed += found
        result.passed += 0 if found else 1
    result.seconds = time.monotonic() - started
    return result
