"""`invoke bench`: how fast the local platform comes up and plans, against the naive ways of running Terragrunt.

Everything runs against a private emulator on a free port with private saved plans, so a developer's own
local environment is left alone. Figures are wall-clock seconds of one run on this machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tbyte.core import paths
from tbyte.core.environment import LOCAL, Environment
from tbyte.core.settings import Settings
from tbyte.emulator.manager import Emulator, free_port
from tbyte.infra import terragrunt
from tbyte.infra.graph import graph
from tbyte.toolchain import provider, setup


def _timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode not in (0, 2):
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{tail}")
    return elapsed


def _naive_environment(local: Environment, workdir: Path) -> dict:
    """Terragrunt's defaults: no shared plugin cache, dependency outputs through `terraform output`."""
    cli_config = workdir / "mirror-only.tfrc"
    cli_config.write_text(provider.cli_config_text(plugin_cache=False))
    env = {**terragrunt.environment(local), "TF_CLI_CONFIG_FILE": str(cli_config), "TG_LOG_LEVEL": "error"}
    for variable in ("TF_PLUGIN_CACHE_DIR", "TG_TF_FORWARD_STDOUT", "TG_DEPENDENCY_FETCH_OUTPUT_FROM_STATE"):
        env.pop(variable, None)
    env["TG_DOWNLOAD_DIR"] = str(workdir / "terragrunt-cache")
    return env


def run(settings: Settings) -> dict[str, float]:
    port = free_port()
    setup.ensure(settings)
    with tempfile.TemporaryDirectory(prefix="tbyte-bench-") as scratch:
        workdir = Path(scratch)
        env = {**os.environ, "INVOKE_TBYTE_EMULATOR_PORT": str(port), "INVOKE_TBYTE_PLANS_DIR": str(workdir / "plans")}
        invoke = [sys.executable, "-m", "invoke"]
        try:
            up_seconds = _timed([*invoke, "up"], paths.ROOT, env)
            _timed([*invoke, "plan", "--env", LOCAL], paths.ROOT, env)  # warm-up
            plan_seconds = _timed([*invoke, "plan", "--env", LOCAL], paths.ROOT, env)

            local = Environment.resolve(LOCAL, Settings.from_config({"emulator_port": str(port)}))
            naive = _naive_environment(local, workdir)
            units = [stack for layer in graph(local).layers() for stack in layer]
            tg = str(paths.BIN / "terragrunt")
            for stack in units:  # warm-up: the module copies exist, as in a developer's checkout
                _timed([tg, "init", "-input=false"], stack.directory, naive)
            sequential_seconds = sum(
                _timed([tg, "init", "-input=false"], stack.directory, naive)
                + _timed([tg, "plan", "-input=false"], stack.directory, naive)
                for stack in units
            )
            run_all = [tg, "run", "--all", "--non-interactive", "--", "plan", "-input=false"]
            _timed(run_all, paths.TERRAGRUNT / LOCAL, naive)  # warm-up
            run_all_seconds = _timed(run_all, paths.TERRAGRUNT / LOCAL, naive)
        finally:
            subprocess.run([*invoke, "down"], cwd=paths.ROOT, env=env, capture_output=True)
            Emulator(port=port).stop()
    return {
        "plan_seconds": round(plan_seconds, 2),
        "sequential_seconds": round(sequential_seconds, 2),
        "plan_speedup_vs_sequential": round(sequential_seconds / plan_seconds, 2),
        "run_all_seconds": round(run_all_seconds, 2),
        "plan_speedup_vs_run_all": round(run_all_seconds / plan_seconds, 2),
        "up_seconds": round(up_seconds, 2),
    }
