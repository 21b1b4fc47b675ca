"""Running Terragrunt in one stack's directory with the repository's toolchain and the right credentials."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tbyte import paths, toolchain
from tbyte.emulator import CREDENTIALS, Emulator
from tbyte.errors import UserError
from tbyte.stacks import LOCAL, Stack


def environment(env: str) -> dict[str, str]:
    variables = {
        **toolchain.environment(),
        "TG_NON_INTERACTIVE": "true",
        "TG_TF_FORWARD_STDOUT": "true",
        "TG_LOG_LEVEL": os.environ.get("TG_LOG_LEVEL", "warn"),
        "TG_NO_COLOR": "true",
        "TG_NO_TIPS": "true",
    }
    workdirs = f"{env}-{Emulator().port}" if env == LOCAL else env
    # One working-directory cache per backend: an emulator on another port is another backend.
    variables["TG_DOWNLOAD_DIR"] = str(paths.TOOLCHAIN / "terragrunt-cache" / workdirs)
    if env == LOCAL:
        # The emulator's fake credentials: even with real ones in the shell, local never reaches AWS.
        variables.update(CREDENTIALS, TBYTE_EMULATOR_ENDPOINT=Emulator().endpoint)
    return variables


def run(stack: Stack, *args: str, log: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `terragrunt <args>` in the stack's directory; output is captured (and copied to `log`)."""
    result = subprocess.run(
        [str(paths.BIN / "terragrunt"), *args],
        cwd=stack.directory, env=environment(stack.env), capture_output=True, text=True,
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
    )
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"$ terragrunt {' '.join(args)}\n{result.stdout}\n{result.stderr}")
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
        if text.startswith("Error:"):
            return text
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip() and "error occurred" not in line]
    return lines[-1] if lines else f"exit code {result.returncode}"


def render(stack: Stack) -> dict:
    """The unit's configuration with includes, locals and inputs resolved (dependencies from their mocks)."""
    result = subprocess.run(
        [str(paths.BIN / "terragrunt"), "render", "--format", "json"],
        cwd=stack.directory, env={**environment(stack.env), "TBYTE_RENDER_WITH_MOCKS": "true"},
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise UserError(f"rendering {stack} failed: {first_error(result)}")
    return json.loads(result.stdout)
