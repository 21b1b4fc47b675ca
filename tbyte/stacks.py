"""Environments and stacks as laid out under terragrunt/, and the order their dependencies impose."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tbyte import hcl, paths
from tbyte.errors import UserError

LOCAL = "local"


@dataclass(frozen=True)
class Stack:
    env: str
    name: str
    dependencies: tuple[str, ...]

    @property
    def directory(self) -> Path:
        return paths.TERRAGRUNT / self.env / self.name

    def __str__(self) -> str:
        return f"{self.env}/{self.name}"


def environments() -> list[str]:
    return sorted(path.parent.name for path in paths.TERRAGRUNT.glob("*/env.hcl"))


@cache
def env_settings(env: str) -> dict:
    """The locals of terragrunt/<env>/env.hcl."""
    document = hcl.load(paths.TERRAGRUNT / env / "env.hcl")
    settings: dict = {}
    for block in document.get("locals", []):
        settings.update(block)
    return settings


def _dependencies(unit_dir: Path) -> tuple[str, ...]:
    """Names of the stacks a unit depends on: its `dependency` blocks, in the unit and in its _envcommon file."""
    sources = [unit_dir / "terragrunt.hcl", paths.TERRAGRUNT / "_envcommon" / f"{unit_dir.name}.hcl"]
    names = set()
    for source in sources:
        if source.exists():
            for body in hcl.blocks(hcl.load(source), "dependency").values():
                names.add(Path(hcl.expression(body["config_path"])).name)
    return tuple(sorted(names))


@cache  # the layout does not change while a task runs
def stacks(env: str) -> dict[str, Stack]:
    """Every stack of an environment by name (an unknown environment is refused)."""
    known = environments()
    if env not in known:
        raise UserError(f"unknown environment {env!r}; the environments are: {', '.join(known)}")
    units = sorted(path.parent for path in (paths.TERRAGRUNT / env).glob("*/terragrunt.hcl"))
    return {unit.name: Stack(env, unit.name, _dependencies(unit)) for unit in units}


def layers(env: str, only: str | None = None, reverse: bool = False) -> list[list[Stack]]:
    """Stacks in dependency order, grouped in layers whose stacks can run in parallel.

    With `only`, just that stack (it must exist); with `reverse`, the order destruction needs.
    """
    by_name = stacks(env)
    if only is not None and only not in by_name:
        raise UserError(f"unknown stack {only!r} in {env}; the stacks are: {', '.join(by_name)}")
    remaining = dict(by_name)
    ordered: list[list[Stack]] = []
    done: set[str] = set()
    while remaining:
        ready = [stack for stack in remaining.values() if set(stack.dependencies) <= done]
        if not ready:
            raise UserError(f"dependency cycle among {', '.join(remaining)} in {env}")
        ordered.append(sorted(ready, key=lambda stack: stack.name))
        for stack in ready:
            done.add(stack.name)
            del remaining[stack.name]
    if only is not None:
        ordered = [[stack for stack in layer if stack.name == only] for layer in ordered]
        ordered = [layer for layer in ordered if layer]
    return list(reversed(ordered)) if reverse else ordered


def dependency_closure(stack: Stack) -> list[Stack]:
    """The stack's dependencies, transitively (not the stack itself)."""
    by_name = stacks(stack.env)
    seen: dict[str, Stack] = {}
    pending = list(stack.dependencies)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen[name] = by_name[name]
            pending.extend(by_name[name].dependencies)
    return sorted(seen.values(), key=lambda dependency: dependency.name)
