"""The `promtool` row of the scan: `promtool check rules` (syntax, templates, duplicate rules, lint) over every
Prometheus rule of the platform: platform/observability/rules/*.yaml and the PrometheusRule the tbyte-service chart
renders for each release of each environment (the helm target's manifests). promtool is the pinned build of
tools/promtool, built on first use.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.policy.model import Finding, Target, TargetResult
from tbyte.toolchain.go_tools import GoTool

PLATFORM_RULES = paths.ROOT / "platform" / "observability" / "rules"


def chart_rule_files(manifests: Path, work: Path) -> list[Path]:
    """Each rendered PrometheusRule's spec as a rule file under work (<env>-<release>.rules.yaml)."""
    work.mkdir(parents=True, exist_ok=True)
    written = []
    for rendered in sorted(manifests.glob("*/*.yaml")):
        for document in yaml.safe_load_all(rendered.read_text()):
            if document and document.get("kind") == "PrometheusRule":
                path = work / f"{rendered.parent.name}-{rendered.stem}.rules.yaml"
                path.write_text(yaml.safe_dump(document["spec"], sort_keys=False))
                written.append(path)
    return written


def check(files: list[Path], shown: dict[Path, str], promtool: Path | None = None) -> TargetResult:
    """`promtool check rules` of each file (with its lint): one passed check or one finding per file."""
    started = time.monotonic()
    result = TargetResult(Target("promtool", "promtool", "promtool check rules"))
    promtool = promtool or GoTool("promtool").ensure_built()
    for path in files:
        run = subprocess.run([str(promtool), "check", "rules", "--lint-fatal", str(path)], capture_output=True,
                             text=True)
        if run.returncode == 0:
            result.passed += 1
        else:
            result.failed.append(Finding("PROMTOOL", "promtool check rules", shown.get(path, str(path)),
                                         shown.get(path, str(path)), "", (run.stderr or run.stdout).strip()))
    result.seconds = time.monotonic() - started
    return result


def scan(manifests: Path, work: Path) -> TargetResult:
    """The platform's rule files and the chart's rendered rules, checked by promtool."""
    platform = sorted(PLATFORM_RULES.glob("*.yaml"))
    chart = chart_rule_files(manifests, work)
    shown = {path: paths.shown(path) for path in platform}
    shown |= {path: f"helm/charts/tbyte-service (release {path.name.removesuffix('.rules.yaml')})" for path in chart}
    return check(platform + chart, shown)
