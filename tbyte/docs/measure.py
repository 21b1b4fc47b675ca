"""`invoke docs.figures`: the figures of docs/figures.json, measured by running the repository's own commands.

    platform  `invoke up` of local on private ports (its time), `invoke plan --env local` of what is up (its time
              and changes: none), every stack's state read into docs/data/aws-local.json (the AWS diagram),
              `invoke scan --env local` (reports/scan-summary.json's totals), `invoke drift --env local`, then
              `invoke down`
    bench     `invoke bench --json` (its own private emulator and control plane)
    tests     `pytest --collect-only`: how many tests the suite has, per test folder and how many are end-to-end;
              then `pytest --junitxml` of the drills' files only (the end-to-end tests that break something on
              purpose and check the recovery, with the tests that set them up): each drill's outcome and
              duration. The whole suite is not run here: on a shared machine it is the CI's job, and its pass/fail
              counts would be stale the next commit anyway.

Each source records its command, when it ran (UTC), how long it took, the load average before and after and
the CPU count, because a busy machine makes every timing longer. Nothing measured is edited by hand.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.environment import LOCAL, Environment
from tbyte.core.errors import Refused
from tbyte.core.settings import Settings
from tbyte.docs import aws
from tbyte.docs.figures import FIGURES

SOURCES = ("platform", "bench", "tests")
# Drills: end-to-end tests that break something on purpose and check that the platform recovers as designed.
DRILLS = {
    "canary_promoted": ("tests/platform/test_local_platform_e2e.py",
                        "test_a_canary_that_passes_its_analysis_reaches_every_replica",
                        "a canary whose analysis passes is promoted to every replica"),
    "canary_aborted": ("tests/platform/test_local_platform_e2e.py",
                       "test_a_canary_that_fails_its_analysis_aborts_and_the_stable_version_keeps_serving",
                       "a canary whose analysis fails is aborted; the stable version keeps serving"),
    "rollback": ("tests/platform/test_local_platform_e2e.py", "test_rollback_restores_the_previous_revision",
                 "helm.rollback restores the previous revision"),
    "rejected_release": ("tests/platform/test_local_platform_e2e.py",
                         "test_a_release_the_api_server_rejects_fails_with_its_message",
                         "a release the API server rejects fails with its message"),
    "lock_contention": ("tests/state/test_state_locks_e2e.py",
                        "test_a_second_apply_at_the_same_time_fails_on_the_lock_and_the_state_stays_intact",
                        "a second apply at the same time fails on the state lock; the state stays intact"),
    "killed_apply": ("tests/state/test_state_locks_e2e.py",
                     "test_an_apply_killed_half_way_leaves_its_lock_which_unlock_releases",
                     "an apply killed half-way leaves its lock, which state.unlock releases"),
    "stopped_apply": ("tests/state/test_state_locks_e2e.py",
                      "test_a_stopped_apply_stops_terraform_gracefully_releases_its_lock_and_leaves_no_process",
                      "SIGINT and SIGTERM stop an apply gracefully: lock released, no process left"),
    "state_restore": ("tests/state/test_state_ops_e2e.py", "test_backup_then_restore_gives_back_the_same_state",
                      "a state backup restored gives back the same state"),
    "drift_detected": ("tests/state/test_state_ops_e2e.py",
                       "test_drift_is_clean_then_reports_a_change_made_outside_terraform",
                       "invoke drift is clean, then reports a change made outside Terraform"),
}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


class Run:
    """One command of a source, timed, with the load around it."""

    def __init__(self, display: str, command: list[str], env: dict | None = None, ok: tuple[int, ...] = (0,)):
        self.display = display
        self.load_before = load_average()
        started = time.monotonic()
        say(f"[bold]▶ {display}[/]")
        self.result = subprocess.run(command, cwd=paths.ROOT, env={**os.environ, **(env or {})},
                                     capture_output=True, text=True)
        self.seconds = round(time.monotonic() - started, 1)
        self.load_after = load_average()
        if self.result.returncode not in ok:
            tail = "\n".join((self.result.stdout + self.result.stderr).strip().splitlines()[-20:])
            raise Refused(f"{display} exited {self.result.returncode} after {self.seconds}s:\n{tail}")
        say(f"  done in {self.seconds}s (load average {self.load_before[0]} → {self.load_after[0]})")

    def source(self, **extra) -> dict:
        return {"command": self.display, "measured_at": now(), "seconds": self.seconds,
                "load_average": self.load_before, "load_average_after": self.load_after, "cpus": os.cpu_count(),
                "exit_code": self.result.returncode, **extra}


def _invoke(*args: str) -> list[str]:
    return [sys.executable, "-m", "invoke", *args]


def figure(value, unit: str, source: str, label: str) -> dict:
    return {"value": value, "unit": unit, "source": source, "label": label}


# ---------------------------------------------------------------------------------------------------- platform


def measure_platform(log=say) -> tuple[dict, dict]:
    """(sources, figures) of the private local platform; docs/data/aws-local.json written from its states."""
    from tbyte.emulator.manager import Emulator, free_port
    from tbyte.infra import plans
    from tbyte.infra.backend import read_state
    from tbyte.infra.graph import graph

    sources, figures = {}, {}
    with tempfile.TemporaryDirectory(prefix="tbyte-docs-") as scratch:
        ports = {name: os.environ.get(f"INVOKE_TBYTE_{name.upper()}") or str(free_port())
                 for name in ("emulator_port", "kube_port")}  # the caller's private ports, or free ones
        overrides = {**ports,
                     "plans_dir": str(Path(scratch) / "plans"), "reports_dir": str(Path(scratch) / "reports")}
        env = {f"INVOKE_TBYTE_{name.upper()}": value for name, value in overrides.items()}
        local = Environment.resolve(LOCAL, Settings.from_config(overrides))
        try:
            up = Run("invoke up", _invoke("up"), env)
            sources["up"] = up.source()
            figures["up.seconds"] = figure(up.seconds, "s", "up", "`invoke up`: the whole local platform from "
                                           "nothing (stacks, control plane, releases, idempotence check)")
            replan = Run("invoke plan --env local", _invoke("plan", "--env", LOCAL), env)
            sources["plan"] = replan.source()
            stacks = [stack for layer in graph(local).layers() for stack in layer]
            summaries = [plans.load_record(stack)["summary"] for stack in stacks]
            figures["plan.seconds"] = figure(replan.seconds, "s", "plan",
                                             "`invoke plan --env local` of the platform `invoke up` brought up")
            figures["plan.changes"] = figure(sum(s["add"] + s["change"] + s["destroy"] for s in summaries), "count",
                                             "plan", "changes a plan of the applied platform finds")
            figures["plan.stacks"] = figure(len(stacks), "count", "plan", "stacks planned")
            slowest = max(summaries, key=lambda summary: summary["seconds"])
            figures["plan.slowest_stack"] = figure(slowest["stack"], "text", "plan", "the stack whose plan took "
                                                   "longest")
            measured = now()
            states = {stack.name: read_state(stack) for stack in stacks}
            inventory = aws.inventory(states, LOCAL, measured)
            aws.DATA.mkdir(parents=True, exist_ok=True)
            aws.inventory_file(LOCAL).write_text(json.dumps(inventory, indent=1, sort_keys=True) + "\n")
            sources["states"] = {"command": "invoke up, then the state of every stack read from the state bucket",
                                 "measured_at": measured, "load_average": load_average(), "cpus": os.cpu_count()}
            figures.update(inventory_figures(inventory))
            log(f"  {paths.shown(aws.inventory_file(LOCAL))}: {aws.resource_count(inventory)} resources")
            scan = Run("invoke scan --env local", _invoke("scan", "--env", LOCAL), env, ok=(0, 1))
            summary_file = Path(overrides["reports_dir"]) / "scan-summary.json"
            if not summary_file.exists():
                tail = "\n".join((scan.result.stdout + scan.result.stderr).strip().splitlines()[-20:])
                raise Refused(f"invoke scan --env local wrote no scan-summary.json (exit {scan.result.returncode}):\n"
                              f"{tail}")
            summary = json.loads(summary_file.read_text())
            if not summary["ok"]:  # the failures, for whoever reads the figures: the report itself is temporary
                log("\n".join((scan.result.stdout + scan.result.stderr).strip().splitlines()[-40:]))
            scanned = [target for target in summary["targets"] if not target["skipped"]]
            sources["scan"] = scan.source()
            figures.update({
                "scan.ok": figure(summary["ok"], "text", "scan", "the policy gate passed"),
                "scan.seconds": figure(scan.seconds, "s", "scan", "`invoke scan --env local`, checkov and tflint"),
                "scan.targets": figure(len(scanned), "count", "scan", "targets scanned"),
                "scan.passed": figure(sum(t["passed"] for t in scanned), "count", "scan", "checks passed"),
                "scan.failed": figure(sum(t["failed"] for t in scanned), "count", "scan", "checks failed"),
                "scan.suppressed": figure(sum(t["suppressed"] for t in scanned), "count", "scan",
                                          "findings suppressed, each with its reason"),
                "scan.network_attempts": figure(len(summary["network_attempts"]), "count", "scan",
                                                "network connections attempted during the scan"),
            })
            drift = Run("invoke drift --env local", _invoke("drift", "--env", LOCAL, "--json"), env, ok=(0, 2))
            sources["drift"] = drift.source()
            figures["drift.exit_code"] = figure(drift.result.returncode, "count", "drift",
                                                "exit code of the drift check (0: nothing drifted)")
        finally:
            Run("invoke down", _invoke("down"), env, ok=(0, 1, 3))
            Emulator(port=int(overrides["emulator_port"])).stop()
    return sources, figures


def inventory_figures(inventory: dict, source: str = "states") -> dict:
    """Counts of the inventory read from the states (the same file the AWS diagram is drawn from)."""
    entries = [entry for stack in inventory["stacks"].values() for entry in stack]

    def count(kind: str) -> int:
        return sum(entry["type"] == kind for entry in entries)

    return {
        "states.resources": figure(len(entries), "count", source, "managed AWS resources of local (every stack's "
                                   "state)"),
        "states.types": figure(len({entry["type"] for entry in entries}), "count", source,
                               "AWS resource types among them"),
        "states.alarms": figure(count("aws_cloudwatch_metric_alarm"), "count", source, "CloudWatch alarms"),
        "states.log_groups": figure(count("aws_cloudwatch_log_group"), "count", source,
                                    "CloudWatch log groups, each KMS-encrypted with a retention"),
        "states.kms_keys": figure(count("aws_kms_key"), "count", source, "customer-managed KMS keys"),
        "states.kms_keys_rotating": figure(sum(bool(entry.get("enable_key_rotation")) for entry in entries
                                               if entry["type"] == "aws_kms_key"), "count", source,
                                           "of them with automatic rotation"),
        "states.iam_roles": figure(count("aws_iam_role"), "count", source, "IAM roles"),
    }


# ---------------------------------------------------------------------------------------------------- bench


def measure_bench(log=say) -> tuple[dict, dict]:
    bench = Run("invoke bench --json", _invoke("bench", "--json"))
    result = json.loads(bench.result.stdout.strip().splitlines()[-1])
    labels = {
        "plan_seconds": ("s", "a warm `invoke plan --env local` (every stack, in parallel layers)"),
        "sequential_seconds": ("s", "the same stacks, `terragrunt init` + `plan` one after the other"),
        "run_all_seconds": ("s", "`terragrunt run --all plan`, Terragrunt's defaults"),
        "plan_speedup_vs_sequential": ("x", "invoke plan against the stacks one by one"),
        "plan_speedup_vs_run_all": ("x", "invoke plan against terragrunt run --all"),
        "up_seconds": ("s", "`invoke up` inside the benchmark"),
        "task_start_cpu_seconds": ("s", "CPU seconds of starting the task runner (`invoke --list`)"),
    }
    figures = {f"bench.{name}": figure(result[name], unit, "bench", label) for name, (unit, label) in labels.items()
               if name in result}
    stacks = result.get("stacks", {})
    if stacks:
        slowest = max(stacks, key=lambda name: stacks[name]["cpu_seconds"])
        figures["bench.costliest_stack"] = figure(slowest, "text", "bench", "the stack whose plan costs the most CPU")
        figures["bench.costliest_stack_cpu_seconds"] = figure(stacks[slowest]["cpu_seconds"], "s", "bench",
                                                              "CPU seconds of that stack's plan, planned alone")
        figures["bench.emulator_cpu_seconds"] = figure(round(sum(s["emulator_cpu_seconds"] for s in stacks.values()),
                                                             1), "s", "bench",
                                                       "CPU seconds the emulator spent answering all the plans")
    return {"bench": bench.source()}, figures


# ---------------------------------------------------------------------------------------------------- tests


def _classname(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def junit_cases(xml: Path) -> list[dict]:
    cases = []
    for case in ElementTree.parse(xml).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped":
                outcome = "skipped"
        cases.append({"classname": case.get("classname", ""), "name": case.get("name", ""), "outcome": outcome,
                      "seconds": float(case.get("time", 0))})
    return cases


def collected_figures(node_ids: list[str], slow: int, source: str = "tests") -> dict:
    """Counts of the suite as `pytest --collect-only -q` lists it (one node id a line)."""
    figures = {"tests.total": figure(len(node_ids), "count", source, "tests in the suite (collected)"),
               "tests.slow": figure(slow, "count", source,
                                    "of them end-to-end (marked slow: they apply against the emulator)")}
    folders: dict[str, int] = {}
    for node_id in node_ids:
        parts = node_id.split("::")[0].split("/")
        folder = parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"
        folders[folder] = folders.get(folder, 0) + 1
    for folder, count in sorted(folders.items()):
        figures[f"tests.in.{folder}"] = figure(count, "count", source, f"tests under tests/{folder}")
    return figures


def drill_figures(cases: list[dict], source: str = "tests") -> dict:
    """Each drill's outcome and duration, from the JUnit cases of the run."""
    figures = {}
    for name, (path, function, label) in DRILLS.items():
        # pytest-xdist's --dist loadgroup names a grouped case `test_x[param]@group`
        matching = [case for case in cases if case["classname"] == _classname(path) and
                    re.fullmatch(rf"{re.escape(function)}(\[.*\])?(@[\w.-]+)?", case["name"])]
        if not matching:
            continue
        verdict = "failed" if any(c["outcome"] == "failed" for c in matching) else \
            "skipped" if all(c["outcome"] == "skipped" for c in matching) else "passed"
        figures[f"drill.{name}"] = figure(verdict, "text", source, label)
        figures[f"drill.{name}.seconds"] = figure(round(sum(c["seconds"] for c in matching), 1), "s", source,
                                                  f"duration: {label}")
    verdicts = [entry["value"] for key, entry in figures.items() if not key.endswith(".seconds")]
    figures["tests.drills"] = figure(len(verdicts), "count", source, "drills run")
    figures["tests.drills_passed"] = figure(verdicts.count("passed"), "count", source, "drills passed")
    return figures


def _collect(*args: str) -> list[str]:
    result = subprocess.run([str(paths.ROOT / ".venv" / "bin" / "pytest"), "--collect-only", "-q", "-n0",
                             "-p", "no:cacheprovider", *args], cwd=paths.ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"pytest --collect-only {' '.join(args)} exited {result.returncode}:\n{result.stdout[-2000:]}")
    return [line for line in result.stdout.splitlines() if "::" in line]


def measure_tests(log=say) -> tuple[dict, dict]:
    node_ids = _collect()
    figures = collected_figures(node_ids, len(_collect("-m", "slow")))
    # whole files: a drill relies on the tests of its module before it (test_up_... brings the platform up)
    drills = sorted({path for path, _, _ in DRILLS.values()})
    with tempfile.TemporaryDirectory(prefix="tbyte-docs-tests-") as scratch:
        xml = Path(scratch) / "junit.xml"
        run = Run(f".venv/bin/pytest --collect-only; .venv/bin/pytest --junitxml=<file> {' '.join(drills)}",
                  [str(paths.ROOT / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider",
                   f"--junitxml={xml}", *drills], ok=(0, 1))
        figures.update(drill_figures(junit_cases(xml)))
    return {"tests": run.source()}, figures


MEASURES: dict[str, Callable] = {"platform": measure_platform, "bench": measure_bench, "tests": measure_tests}


def measure(only: list[str], log=say, path: Path = FIGURES, after_each: Callable | None = None) -> dict:
    """Run the chosen sources and merge their figures into docs/figures.json (others are kept as they are);
    `after_each()` after each source (docs.build: the test suite of a later source then sees current docs)."""
    document: dict = {}
    for name in only:
        sources, figures = MEASURES[name](log)
        # read again: another `invoke docs.figures --only ...` may have written its source meanwhile
        document = json.loads(path.read_text()) if path.exists() else {}
        document.setdefault("sources", {})
        document.setdefault("figures", {})
        stale = [key for key, entry in document["figures"].items() if entry.get("source") in sources]
        for key in stale:
            del document["figures"][key]
        document["sources"].update(sources)
        document["figures"].update(figures)
        document["sources"] = dict(sorted(document["sources"].items()))
        document["figures"] = dict(sorted(document["figures"].items()))
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")  # kept after each source
        log(f"[green]✓[/] {name}: {len(figures)} figures written to {paths.shown(path)}")
        if after_each is not None:
            after_each()
    return document
