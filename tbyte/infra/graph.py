"""The stacks of an environment and their order, as Terragrunt itself reads them.

`terragrunt find --dag --json --dependencies --reading` gives each unit, its dependencies and the files it
reads; `terragrunt render --json` (dependency outputs mocked) gives each unit's remote state (bucket, key) and
module. The module folders a unit uses are that module and, transitively, the local modules its `module`
blocks call (Terragrunt's `reading` lists only the files inside the unit's own module folder). All of it is
cached under .toolchain/stack-graphs/, keyed by every Terragrunt and Terraform file, so a task pays for it
only after the configuration changed. The order comes from graphlib.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tbyte.core import hcl, paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.files import write_private
from tbyte.infra import terragrunt
from tbyte.toolchain import setup

CACHE = paths.TOOLCHAIN / "stack-graphs"
FIND = ["find", "--dag", "--json", "--dependencies", "--reading"]
RENDER = ["render", "--json", *terragrunt.NO_DEPENDENCY_OUTPUTS]


@dataclass(frozen=True, eq=False)
class Stack:
    """One Terragrunt unit of an environment."""

    env: Environment
    name: str
    dependencies: tuple[str, ...]
    reading: tuple[str, ...]  # repository-relative files Terragrunt reads for it (its HCL and its modules)
    bucket: str
    key: str
    module: str  # the repository-relative folder of the unit's Terraform module (terraform.source)
    modules: tuple[str, ...] = ()  # every module folder it uses: its own and the local ones it calls

    @property
    def directory(self) -> Path:
        return self.env.terragrunt_dir / self.name

    def __str__(self) -> str:
        return f"{self.env.name}/{self.name}"


class StackGraph:
    def __init__(self, env: Environment, stacks: dict[str, Stack]):
        self.env = env
        self.stacks = stacks

    def get(self, name: str | None, argument: str = "--stack") -> Stack:
        """The stack `name`; a missing or unknown name is refused with the list of stacks."""
        if not name or name not in self.stacks:
            what = f"unknown stack {name!r} in {self.env}" if name else f"{argument} is required"
            raise Refused(f"{argument}: {what}; the stacks are: {', '.join(self.stacks)}")
        return self.stacks[name]

    def layers(self, only: str | None = None, reverse: bool = False) -> list[list[Stack]]:
        """Stacks in dependency order, in layers whose stacks can run in parallel (`reverse`: to destroy)."""
        if only is not None:
            return [[self.get(only)]]
        sorter = TopologicalSorter({name: stack.dependencies for name, stack in self.stacks.items()})
        try:
            sorter.prepare()
        except CycleError as cycle:
            raise Refused(f"dependency cycle in {self.env}: {' -> '.join(cycle.args[1])}") from None
        ordered = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready())
            ordered.append([self.stacks[name] for name in ready])
            sorter.done(*ready)
        return list(reversed(ordered)) if reverse else ordered

    def closure(self, stack: Stack) -> list[Stack]:
        """The stack's dependencies, transitively (not the stack itself)."""
        seen: dict[str, Stack] = {}
        pending = list(stack.dependencies)
        while pending:
            name = pending.pop()
            if name not in seen:
                seen[name] = self.stacks[name]
                pending.extend(self.stacks[name].dependencies)
        return sorted(seen.values(), key=lambda dependency: dependency.name)

    def dependents(self, stack: Stack) -> list[Stack]:
        return [other for other in self.stacks.values() if stack.name in other.dependencies]


def render(env: Environment, name: str) -> dict:
    """The unit's configuration as Terragrunt renders it (includes, locals, inputs; dependency outputs mocked)."""
    return terragrunt.json_document(env, env.terragrunt_dir / name, *RENDER, what=f"terragrunt render of {env}/{name}")


def graph(env: Environment) -> StackGraph:
    """The environment's stacks, read once per task (and from the cache while the configuration is the same)."""
    return env.memoized("stack-graph", lambda: _load(env))


def configuration_key(env: Environment) -> str:
    digest = hashlib.sha256(env.name.encode() + b"\0" + str(paths.BIN.joinpath("terragrunt").resolve()).encode())
    for path in sorted(paths.TERRAGRUNT.rglob("*.hcl")):
        if ".terragrunt-cache" not in path.parts:
            digest.update(str(path.relative_to(paths.ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(paths.MODULES.rglob("*.tf")):
        if ".terraform" not in path.parts:
            digest.update(str(path.relative_to(paths.ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _load(env: Environment) -> StackGraph:
    key = configuration_key(env)
    cache = CACHE / f"{env.name}.json"
    try:
        cached = json.loads(cache.read_text())
    except (OSError, json.JSONDecodeError):
        cached = {}
    if cached.get("key") != key:
        cached = {"key": key, "units": _discover(env)}
        write_private(cache, json.dumps(cached, indent=1))
    return StackGraph(env, {unit["name"]: Stack(env, unit["name"], tuple(unit["dependencies"]),
                                                tuple(unit["reading"]), unit["bucket"], unit["key"], unit["module"],
                                                tuple(unit["modules"]))
                            for unit in cached["units"]})


def module_folders(root: Path) -> list[Path]:
    """The module folder and, transitively, the local module folders its `module` blocks' sources name."""
    pending, found = [root.resolve()], []
    while pending:
        folder = pending.pop()
        if folder in found:
            continue
        found.append(folder)
        for tf_file in folder.glob("*.tf"):
            for call in hcl.blocks(hcl.load(tf_file), "module").values():
                source = str(call.get("source", ""))
                if source.startswith(("./", "../")):
                    pending.append((folder / source).resolve())
    return sorted(found)


def _discover(env: Environment) -> list[dict]:
    if not setup.ready(("terragrunt",)):
        setup.ensure(env.settings, tools=("terragrunt",))
    found = terragrunt.json_document(env, env.terragrunt_dir, *FIND, what=f"terragrunt find in {env}")
    units = [unit for unit in found if unit.get("type") == "unit"]

    def describe(unit: dict) -> dict:
        directory = env.terragrunt_dir / unit["path"]
        rendered = render(env, unit["path"])
        state = (rendered.get("remote_state") or {}).get("config") or {}
        source = str((rendered.get("terraform") or {}).get("source") or "")
        module = Path(source.replace("//", "/")).resolve() if source else directory
        reading = sorted({str((env.terragrunt_dir / path).resolve().relative_to(paths.ROOT))
                          for path in unit.get("reading") or []} | {str(directory.relative_to(paths.ROOT) /
                                                                        "terragrunt.hcl")})
        return {"name": unit["path"], "dependencies": sorted(unit.get("dependencies") or []), "reading": reading,
                "bucket": state.get("bucket", ""), "key": state.get("key", ""),
                "module": str(module.relative_to(paths.ROOT)),
                "modules": [str(folder.relative_to(paths.ROOT)) for folder in module_folders(module)]}

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(describe, units))
