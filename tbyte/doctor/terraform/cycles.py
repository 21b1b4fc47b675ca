"""Dependency cycles (TF001 between stacks, TF002 between resources), with the edge to break.

Stacks: every unit's `dependency` blocks, read from its terragrunt.hcl and the _envcommon file it includes (the
repository's convention), without Terragrunt, which refuses to build a graph that has a cycle. The edge to break is
the dependency whose outputs the unit uses least (often never: a leftover block). Resources: Terraform's own
"Error: Cycle: a, b, ..." in a stack's latest log, each step named by the reference that makes it.
"""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tbyte.core import hcl, paths
from tbyte.core.environment import Environment
from tbyte.doctor.actions import FileEdit
from tbyte.doctor.findings import Finding

CYCLE = re.compile(r"Error: Cycle: (?P<nodes>[^\n]+)")


def unit_files(env: Environment, stack: str) -> list[Path]:
    return [path for path in (env.terragrunt_dir / stack / "terragrunt.hcl", paths.TERRAGRUNT / "_envcommon" /
                              f"{stack}.hcl") if path.exists()]


def dependencies(env: Environment) -> dict[str, dict[str, Path]]:
    """{stack: {dependency block name: the file declaring it}} for the stacks the block points at."""
    stacks = sorted(path.parent.name for path in env.terragrunt_dir.glob("*/terragrunt.hcl"))
    found: dict[str, dict[str, Path]] = {}
    for stack in stacks:
        found[stack] = {}
        for path in unit_files(env, stack):
            for body in hcl.blocks(hcl.load(path), "dependency").values():
                target = Path(str(body.get("config_path", ""))).name
                if target in stacks:
                    found[stack][target] = path
    return found


def block_text(text: str, name: str) -> str | None:
    """The whole `dependency "<name>" { ... }` block as written (with its trailing newline)."""
    start = re.search(rf'(?m)^[ \t]*dependency\s+"{re.escape(name)}"\s*\{{', text)
    if not start:
        return None
    depth, index = 0, start.start()
    for index in range(text.index("{", start.start()), len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            break
    end = index + 1
    while end < len(text) and text[end] == "\n":
        end += 1
    return text[start.start():end]


def stack_cycle(env: Environment) -> list[Finding]:
    graph = dependencies(env)
    try:
        TopologicalSorter({stack: set(deps) for stack, deps in graph.items()}).prepare()
        return []
    except CycleError as cycle:
        path = list(cycle.args[1])  # [a, b, ..., a]: a depends on b ...
    edges = list(zip(path, path[1:], strict=False))
    uses = {}
    for stack, target in edges:
        text = graph[stack][target].read_text()
        uses[(stack, target)] = len(re.findall(rf"dependency\.{re.escape(target)}\.outputs", text))
    stack, target = min(edges, key=lambda edge: (uses[edge], edge))
    declared = graph[stack][target]
    block = block_text(declared.read_text(), target)
    relative = str(declared.relative_to(paths.ROOT))
    actions = (FileEdit(relative, block, ""),) if block else ()
    return [Finding(
        "TF001", "critical", f"stacks {' -> '.join(path)}", "the stacks depend on each other in a cycle",
        (f"{a} declares dependency {b!r} and reads {uses[(a, b)]} of its outputs ({graph[a][b].name})"
         for a, b in edges),
        f"break the edge {stack} -> {target}: {stack} reads {uses[(stack, target)]} output(s) of {target}, the "
        "fewest of the cycle; remove that dependency block (if an output is needed both ways, move it to a third "
        f"stack both depend on), then `invoke plan --env {env.name}`", actions)]


def resource_cycle(stack: str, log: str, module_dir: Path) -> Finding | None:
    match = CYCLE.search(log)
    if not match:
        return None
    nodes = [node.strip().removesuffix(" (expand)").strip('"') for node in match["nodes"].split(",")]
    nodes = [node for node in nodes if re.match(r"^[\w.\[\]\"-]+$", node)]
    sources = "\n".join(path.read_text() for path in sorted(module_dir.glob("*.tf"))) if module_dir.is_dir() else ""
    evidence = [f"terraform: Cycle: {', '.join(nodes)}"]
    for here, there in zip(nodes, nodes[1:] + nodes[:1], strict=True):
        reference = _reference(sources, here, there)
        if reference:
            evidence.append(f"{here} refers to {there}: {reference}")
    return Finding("TF002", "critical", f"stack {stack}", "its resources depend on each other in a cycle",
                   tuple(evidence), "break one reference: a security group rule that names the other group moves "
                   "out of the group into its own aws_security_group_rule (or aws_vpc_security_group_ingress_rule) "
                   "resource; otherwise derive one side from an input instead of the other resource")


def _reference(sources: str, here: str, there: str) -> str | None:
    kind, _, name = here.rpartition(".")
    block = re.search(rf'resource\s+"{re.escape(kind.split(".")[-1])}"\s+"{re.escape(name)}"\s*\{{(.*?)\n\}}',
                      sources, re.S)
    if not block:
        return None
    for line in block.group(1).splitlines():
        if there in line:
            return line.strip()
    return None
