"""The gate: checkov, fully offline, over everything the platform is made of.

Targets (each one checkov job, run in parallel by checkov_job.py under checkov's own environment):

    modules          modules/                                  framework terraform
    plan <env>/<s>   each saved plan of the environment, as    framework terraform_plan, enriched with the
                     `terragrunt show -json` prints it          stack's modules (its inline suppressions apply)
    helm             the rendered manifests of every release   framework kubernetes
    promtool         platform/observability/rules and the      `promtool check rules` (not checkov)
                     chart's PrometheusRule of every release
    workflows        .github/workflows/ (when it exists)       framework github_actions
    secrets          the whole repository, tools and caches    framework secrets
                     excluded
    path <dir>       `--path DIR`: one Terraform directory      framework terraform

checkov runs with every network connection refused and recorded; an attempt fails the gate.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from rich.markup import escape

from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.settings import Settings
from tbyte.policy import promtool, tflint
from tbyte.policy.checkov_env import ensure_checkov
from tbyte.policy.model import Finding, ScanResult, Target, TargetResult
from tbyte.policy.plan_targets import plan_targets
from tbyte.policy.report import write_summary
from tbyte.policy.runner import Runner
from tbyte.policy.suppressions import config_skips, exceptions_for, load_exceptions, suppressions
from tbyte.policy.targets import helm_target, modules_target, path_target, secrets_target, workflows_target


def suppression_result() -> TargetResult:
    """Every suppression has its reason: inline ones, .checkov.yaml's global skips, policies/exceptions.yaml."""
    target = Target("suppressions", "suppressions", "-")
    result = TargetResult(target)
    for item in suppressions():
        if item.reason:
            result.passed += 1
        else:
            result.failed.append(Finding("reason", "a suppression carries its reason", item.checks or "?",
                                         item.path, str(item.line), "add `:<why>` after the check id"))
    for check, reason in config_skips():
        if reason:
            result.passed += 1
        else:
            result.failed.append(Finding("reason", "a global skip carries its reason", check, ".checkov.yaml", "",
                                         "write `- CKV_X  # why` in skip-check"))
    result.passed += len(load_exceptions())  # load_exceptions refuses an entry without a reason
    return result


def execute(build, reports: Path, log=say, parallel: int | None = None, audit: bool = False,
            extra=None) -> ScanResult:
    """Run the targets that `build(add, workdir)` adds (each starts as soon as it is added); reports and summary.

    audit: also check that every suppression of the repository carries its reason (a row "suppressions") and run
    tflint over the modules (a row "tflint"), while checkov works.
    extra: `extra(workdir)` returns more results (checks that are not checkov's), run while checkov runs.
    """
    started = time.monotonic()
    exceptions = load_exceptions()
    python = ensure_checkov(log)
    for previous in (reports / "checkov", reports / "helm-manifests"):
        shutil.rmtree(previous, ignore_errors=True)
    (reports / "checkov").mkdir(parents=True, exist_ok=True)
    runner = Runner(python, reports, log, parallel)
    targets: list[Target] = []
    try:
        with tempfile.TemporaryDirectory(prefix="tbyte-scan-") as work:
            def add(target: Target) -> None:
                targets.append(target)
                if target.warning:
                    log(f"[yellow]![/] {escape(target.name)}: {escape(target.warning)}")
                runner.submit(target, exceptions_for(exceptions, target.kind, target.env))

            build(add, Path(work))
            linted = tflint.run() if audit else None
            extra_results = extra(Path(work)) if extra else []
            network = runner.finish()
    finally:
        runner.close()
    results = [runner.result(target) for target in targets] + extra_results
    if audit:
        results += [suppression_result(), linted]
    if network:
        results.append(TargetResult(Target("network", "network", "-"),
                                    error=f"checkov attempted {len(network)} network connection(s): {network[0]}"))
    scan = ScanResult(results, time.monotonic() - started, reports, network)
    write_summary(scan)
    return scan


def run(env: Environment, log=say, parallel: int | None = None) -> ScanResult:
    """The whole gate for one environment's plans; results per target, reports under the reports folder."""
    reports = env.settings.reports_dir

    def build(add, work: Path) -> None:
        add(modules_target())  # the longest job first; it runs while the plans are prepared
        add(secrets_target())
        add(workflows_target())
        for target in plan_targets(env, work / "plans" / env.name, log):
            add(target)
        add(helm_target(reports / "helm-manifests"))

    def rules(work: Path) -> list[TargetResult]:
        return [promtool.scan(reports / "helm-manifests", work / "rules")]

    return execute(build, reports, log, parallel, audit=True, extra=rules)


def scan_path(directory: str | Path, settings: Settings, log=say, parallel: int | None = None) -> ScanResult:
    """One Terraform directory (framework terraform, with the custom checks)."""
    target = path_target(directory)  # refused before anything starts when it is not a Terraform directory
    return execute(lambda add, work: add(target), settings.reports_dir, log, parallel)


def scan_targets(targets: list[Target], reports: Path, log=say, parallel: int | None = None) -> ScanResult:
    """Scan the given targets only (fixtures, one plan file...), with the repository's policy."""
    return execute(lambda add, work: [add(target) for target in targets], reports, log, parallel)
