"""The whole gate on the repository as it stands: zero unsuppressed failures; missing plans are said clearly."""

import json
import os
import subprocess
import sys

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.settings import Settings
from tbyte.emulator.manager import Emulator
from tbyte.policy import plan_targets

STACKS = ("vpc", "eks", "node-group", "iam", "rds", "elasticache", "ecr", "edge", "observability", "backup")


@pytest.mark.parametrize("env", ["dev", "stage", "prod"])
def test_missing_plans_of_an_aws_environment_are_skipped_with_a_clear_reason(tmp_path, env):
    settings = Settings.from_config({"plans_dir": str(tmp_path / "plans")})
    targets = plan_targets.plan_targets(Environment.resolve(env, settings), tmp_path / "json", log=lambda message: None)
    assert {target.name for target in targets} == {f"plan {env}/{name}" for name in STACKS}
    for target in targets:
        assert target.skipped == (f"no saved plan: run `invoke plan --env {env}` first "
                                  "(needs the AWS credentials of the environment)")
        assert not target.inputs


def test_an_unknown_environment_is_refused_before_anything_runs():
    result = subprocess.run([sys.executable, "-m", "invoke", "scan", "--env", "qa"], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "unknown environment 'qa'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_repository_passes_the_gate(tmp_path, free_port):
    """`invoke scan` as CI runs it, local planned in a private emulator: nothing fails unsuppressed."""
    env = {**os.environ, "INVOKE_TBYTE_EMULATOR_PORT": str(free_port),
           "INVOKE_TBYTE_PLANS_DIR": str(tmp_path / "plans"), "INVOKE_TBYTE_REPORTS_DIR": str(tmp_path / "reports")}
    try:
        result = subprocess.run([sys.executable, "-m", "invoke", "scan"], cwd=paths.ROOT, env=env,
                                capture_output=True, text=True, timeout=900)
    finally:
        Emulator(port=free_port).stop()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no unsuppressed finding; total" in result.stderr
    summary = json.loads((tmp_path / "reports" / "scan-summary.json").read_text())
    assert summary["ok"] is True and summary["failures"] == [] and summary["network_attempts"] == []
    status = {target["name"]: target["status"] for target in summary["targets"]}
    for name in ("modules", "secrets", "helm", "promtool", "suppressions", "tflint",
                 *(f"plan local/{stack}" for stack in STACKS)):
        assert status.get(name) == "passed", (name, status)
    for target in summary["targets"]:
        if target["reports"]:
            directory = tmp_path / "reports" / target["reports"]
            assert (directory / "results_sarif.sarif").exists() and (directory / "results_junitxml.xml").exists()
    print(f"invoke scan took {summary['seconds']}s")
