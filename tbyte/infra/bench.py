"""`invoke bench`: how fast the local platform comes up and plans, against the naive ways of running Terragrunt,
and where the time of a plan goes.

Everything runs against a private emulator and control plane on free ports with private saved plans, so a
developer's own local environment is left alone. Figures are wall-clock seconds of one run on this machine,
side by side in the same run: `invoke plan --env local` (warm), each stack planned by hand one after the other
(`terragrunt init` + `plan`, Terragrunt's defaults: no shared plugin cache, dependency outputs through
`terraform output`) and `terragrunt run --all plan` with the same defaults. Per stack: the wall time of its plan
in `invoke plan`, the CPU seconds of its Terragrunt/Terraform/provider processes and those the emulator spent
answering it (planned alone, one after the other), and the CPU of starting the task runner itself.
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
from tbyte.infra import plans, terragrunt
from tbyte.infra.graph import graph
from tbyte.toolchain import provider, provider_once, setup


def _timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode not in (0, 2):
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{tail}")
    return elapsed


def _naive_environment(local: Environment, workdir: Path) -> dict:
    """Terragrunt's defaults: no shared plugin cache, dependency outputs through `terraform output`, Go's
    default garbage collection, Terraform starting its providers itself."""
    cli_config = workdir / "mirror-only.tfrc"
    cli_config.write_text(provider.cli_config_text(plugin_cache=False))
    env = {**terragrunt.environment(local), "TF_CLI_CONFIG_FILE": str(cli_config), "TG_LOG_LEVEL": "error"}
    for variable in ("TF_PLUGIN_CACHE_DIR", "TG_TF_FORWARD_STDOUT", "TG_DEPENDENCY_FETCH_OUTPUT_FROM_STATE", "GOGC",
                     provider_once.ENABLE):
        env.pop(variable, None)
    env["TG_DOWNLOAD_DIR"] = str(workdir / "terragrunt-cache")
    return env


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stack_profile(local: Environment, emulator: Emulator) -> dict[str, dict]:
    """Each stack planned alone: the CPU of its processes and the emulator's CPU answering it."""
    env = terragrunt.environment(local)
    profile = {}
    for stack in (member for layer in graph(local).layers() for member in layer):
        emulator_before, children_before = _process_cpu(emulator.pid()), os.times()
        subprocess.run([str(paths.BIN / "terragrunt"), "plan", "-input=false", "-lock=false"],
                       cwd=stack.directory, env=env, capture_output=True)
        children_after = os.times()
        profile[stack.name] = {
            "cpu_seconds": round(children_after.children_user - children_before.children_user
                                 + children_after.children_system - children_before.children_system, 2),
            "emulator_cpu_seconds": round(_process_cpu(emulator.pid()) - emulator_before, 2),
        }
    return profile


def run(settings: Settings) -> dict:
    port = free_port()
    setup.ensure(settings)
    with tempfile.TemporaryDirectory(prefix="tbyte-bench-") as scratch:
        workdir = Path(scratch)
        overrides = {"emulator_port": str(port), "kube_port": str(free_port()), "plans_dir": str(workdir / "plans")}
        env = {**os.environ, **{f"INVOKE_TBYTE_{name.upper()}": value for name, value in overrides.items()}}
        invoke = [sys.executable, "-m", "invoke"]
        local = Environment.resolve(LOCAL, Settings.from_config(overrides))
        try:
            up_seconds = _timed([*invoke, "up"], paths.ROOT, env)
            _timed([*invoke, "plan", "--env", LOCAL], paths.ROOT, env)  # warm-up
            plan_seconds = _timed([*invoke, "plan", "--env", LOCAL], paths.ROOT, env)
            stacks = [stack for layer in graph(local).layers() for stack in layer]
            per_stack = {stack.name: {"plan_wall_seconds": round(plans.load_record(stack)["summary"]["seconds"], 2)}
                         for stack in stacks}
            for name, figures in stack_profile(local, Emulator(port)).items():
                per_stack[name].update(figures)
            before = os.times()
            subprocess.run([*invoke, "--list"], env=env, capture_output=True)
            after = os.times()
            startup_cpu = after.children_user - before.children_user + after.children_system - before.children_system

            naive = _naive_environment(local, workdir)
            tg = str(paths.BIN / "terragrunt")
            for stack in stacks:  # warm-up: the module copies exist, as in a developer's checkout
                _timed([tg, "init", "-input=false"], stack.directory, naive)
            sequential_seconds = sum(
                _timed([tg, "init", "-input=false"], stack.directory, naive)
                + _timed([tg, "plan", "-input=false"], stack.directory, naive)
                for stack in stacks
            )
            run_all = [tg, "run", "--all", "--non-interactive", "--", "plan", "-input=false"]
            _timed(run_all, local.terragrunt_dir, naive)  # warm-up
            run_all_seconds = _timed(run_all, local.terragrunt_dir, naive)
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
        "task_start_cpu_seconds": round(startup_cpu, 2),
        "stacks": per_stack,
    }
