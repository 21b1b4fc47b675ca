"""The Terraform drills' working copy: a private, git-initialised copy of the repository with the local vpc and
eks units (the vpc stack applied in its own emulator), so that a drill may change "the code", the saved plans,
the logs and the locks without touching the real repository or another platform.

It shares the built Go tools, the provider mirror and the plugin cache through symlinks; its emulator (on a port
of its own, kept in <copy>/.port), saved plans and Terragrunt cache are its own. Made once, reused by every drill.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.doctor.drills.bench import Bench
from tbyte.emulator.manager import Emulator, free_port
from tbyte.infra.graph import graph

STACKS = ("vpc", "eks")
IGNORED = shutil.ignore_patterns("__pycache__", ".terragrunt-cache", ".terraform", "*.tfstate*", "*.tfplan")


def copy_repository(destination: Path, stacks=STACKS) -> Path:
    """A minimal, git-initialised copy of the repository with only these stacks of local."""
    refresh_code(destination)
    shutil.copytree(paths.TOOLS, destination / "tools", ignore=IGNORED, dirs_exist_ok=True)
    local = Environment.resolve("local")
    terragrunt = destination / "terragrunt"
    for name in ("root.hcl", ".terraform.lock.hcl", ".terraform.lock.aws.hcl", "local/env.hcl"):
        (terragrunt / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.TERRAGRUNT / name, terragrunt / name)
    for stack in stacks:
        for module in (paths.ROOT / name for name in graph(local).get(stack).modules):
            shutil.copytree(module, destination / module.relative_to(paths.ROOT), ignore=IGNORED, dirs_exist_ok=True)
        (terragrunt / "_envcommon").mkdir(exist_ok=True)
        shutil.copy2(paths.TERRAGRUNT / "_envcommon" / f"{stack}.hcl", terragrunt / "_envcommon" / f"{stack}.hcl")
        shutil.copytree(paths.TERRAGRUNT / "local" / stack, terragrunt / "local" / stack, ignore=IGNORED,
                        dirs_exist_ok=True)
    toolchain = destination / ".toolchain"
    toolchain.mkdir(exist_ok=True)
    for shared in ("go", "providers", "plugin-cache"):
        if not (toolchain / shared).exists():
            (toolchain / shared).symlink_to(paths.TOOLCHAIN / shared)
    subprocess.run(["git", "init", "-q", str(destination)], check=True)  # terragrunt's get_repo_root() needs one
    return destination


def refresh_code(destination: Path) -> None:
    """The tasks and the tbyte package as they are in the repository now (the doctor under drill among them)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("tasks.py", "pyproject.toml", ".gitignore"):
        shutil.copy2(paths.ROOT / name, destination / name)
    shutil.copytree(paths.ROOT / "tbyte", destination / "tbyte", ignore=IGNORED, dirs_exist_ok=True)


def location(env: Environment) -> Path:
    return paths.TOOLCHAIN / "doctor" / f"workcopy-{env.settings.kube_port}"


def bench(env: Environment, stash: Path, root: Path | None = None) -> Bench:
    """The working copy's bench: made (and its vpc stack applied) on first use, its emulator started if needed."""
    root = root or location(env)
    port_file = root / ".port"
    if not port_file.exists():
        shutil.rmtree(root, ignore_errors=True)
        copy_repository(root)
        port = free_port()
        copied = Bench(_environment(env, root, port), root)
        Emulator(port=port, state_dir=root / ".toolchain" / "emulator").start()
        for args in (("plan", "--env", "local", "--stack", "vpc"), ("apply", "--env", "local", "--stack", "vpc")):
            copied.invoke(*args)
        port_file.write_text(str(port))
    refresh_code(root)
    port = int(port_file.read_text())
    emulator = Emulator(port=port, state_dir=root / ".toolchain" / "emulator")
    if not emulator.status()["running"]:
        port_file.unlink()
        raise Refused(f"the drills' working copy {root} lost its emulator (it keeps its state in memory): run the "
                      "drill again to make a new copy")
    return Bench(_environment(env, root, port), root, stash)


def _environment(env: Environment, root: Path, port: int) -> Environment:
    settings = replace(env.settings, emulator_port=port, plans_dir=root / ".plans")
    return Environment.resolve("local", settings)


def remove(root: Path) -> None:
    """Stop the copy's emulator and delete the copy."""
    if (root / ".port").exists():
        Emulator(port=int((root / ".port").read_text()), state_dir=root / ".toolchain" / "emulator").stop()
    shutil.rmtree(root, ignore_errors=True)

