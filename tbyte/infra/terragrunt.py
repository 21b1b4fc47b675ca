"""Running Terragrunt for an environment with the repository's toolchain, a clean environment and its credentials.

The process environment is built here, once per task. Variables that would change what a real plan or apply
means are never passed on: the user's TF_CLI_ARGS*, TF_WORKSPACE, TF_VAR_*, TF_DATA_DIR, TG_* (but the log
level) and the old TBYTE_RENDER_WITH_MOCKS; each one dropped is named once on stderr with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tbyte.core import paths, process
from tbyte.core.console import say
from tbyte.core.environment import EMULATOR_CREDENTIALS, Environment
from tbyte.core.errors import Refused
from tbyte.core.files import write_private
from tbyte.toolchain import setup

KEPT_TG_VARIABLES = {"TG_LOG_LEVEL"}
# Terraform reads a plan's meaning from these; Terragrunt from TG_*.
CHANGING_PREFIXES = ("TF_CLI_ARGS", "TF_VAR_", "TG_")
CHANGING_NAMES = {"TF_WORKSPACE", "TF_DATA_DIR", "TBYTE_RENDER_WITH_MOCKS", "TBYTE_SKIP_ASSUME_ROLE",
                  "TBYTE_EMULATOR_ENDPOINT"}
# Dependency outputs are read by Terragrunt straight from the dependencies' S3 states (no `terraform output`).
FAST_OUTPUTS = {"TG_DEPENDENCY_FETCH_OUTPUT_FROM_STATE": "true"}
# `render` and `show` of a saved plan: mock outputs instead of the dependencies' states.
NO_DEPENDENCY_OUTPUTS = ["--experiment", "optional-dependency-outputs", "--no-dependency-outputs"]


def dropped_variables(variables: dict[str, str]) -> list[str]:
    return sorted(name for name in variables if name not in KEPT_TG_VARIABLES and
                  (name in CHANGING_NAMES or name.startswith(CHANGING_PREFIXES)))


def environment(env: Environment) -> dict[str, str]:
    """The process environment of every terragrunt run of `env` (computed once per task)."""
    return env.memoized("terragrunt-environment", lambda: _environment(env))


def _environment(env: Environment) -> dict[str, str]:
    for name in dropped_variables(dict(os.environ)):
        say(f"[yellow]note:[/] ignoring {name} (set in your shell): it would change what a plan or apply of "
            f"{env} means")
    inherited = {name: value for name, value in os.environ.items() if name not in dropped_variables(dict(os.environ))}
    variables = setup.environment(env.settings, inherited, registry=not env.is_local)
    variables.update({
        "TG_NON_INTERACTIVE": "true",
        "TG_TF_FORWARD_STDOUT": "true",
        "TG_LOG_LEVEL": variables.get("TG_LOG_LEVEL", "warn"),
        "TG_NO_COLOR": "true",
        "TG_NO_TIPS": "true",
        **FAST_OUTPUTS,
    })
    variables["TG_DOWNLOAD_DIR"] = str(download_dir(env))
    if env.is_local:
        # The emulator's fake credentials: even with real ones in the shell, local never reaches AWS.
        variables.update(EMULATOR_CREDENTIALS, TBYTE_EMULATOR_ENDPOINT=env.emulator_endpoint)
        variables.pop("AWS_PROFILE", None)
    elif not env.settings.assume_role:
        variables["TBYTE_SKIP_ASSUME_ROLE"] = "true"  # the caller (CI) already holds the environment's role
    return variables


def download_dir(env: Environment) -> Path:
    """Terragrunt's working copies of the environment's stacks: one folder per backend (an emulator on another
    port is another backend)."""
    return paths.TOOLCHAIN / "terragrunt-cache" / (f"{env.name}-{env.settings.emulator_port}" if env.is_local
                                                   else env.name)


def run(env: Environment, directory: Path, *args: str, log: Path | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    """`terragrunt <args>` in `directory`; output captured (and copied, privately, to `log`)."""
    result = process.run([str(paths.BIN / "terragrunt"), *args], cwd=directory, env=environment(env), stdin=stdin)
    if log is not None:
        write_private(log, f"$ terragrunt {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result


def first_error(result: subprocess.CompletedProcess) -> str:
    """The first line that says what went wrong, for one-line failure messages."""
    for line in result.stdout.splitlines():  # terraform's -json diagnostics come first: they say the most
        if line.startswith('{"@level":"error"'):
            message = json.loads(line)
            detail = message.get("diagnostic", {}).get("detail", "").split("\n")[0]
            return f"{message.get('@message', '')}: {detail}".rstrip(": ")
    for line in (result.stderr + "\n" + result.stdout).splitlines():
        text = line.strip().lstrip("│ ").strip()
        if text.startswith(("Error:", "Failed to")):
            return text
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip() and "error occurred" not in line]
    return lines[-1] if lines else f"exit code {result.returncode}"


def json_document(env: Environment, directory: Path, *args: str, what: str) -> dict | list:
    """The JSON a terragrunt command prints (find, render); its failure is refused with Terragrunt's line."""
    result = run(env, directory, *args)
    if result.returncode != 0:
        raise Refused(f"{what} failed: {first_error(result)}")
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Refused(f"{what} printed no JSON: {result.stdout[:200]!r}") from None
