"""Drift detection: does every deployed stack of an environment still match its code and its state?

One `terraform plan -json -detailed-exitcode` per stack, through Terragrunt, without `-out` (so no saved plan is
left that could be applied by mistake) and without taking the state lock (a scheduled check never blocks a
deployment). A stack has drifted when the plan would change something: `planned_change` messages, each marked
with the `resource_drift` Terraform found for it (changed outside Terraform) or not (the code differs from what
was applied). With `refresh_only`, a `-refresh-only` plan instead: every difference between the state and the
real objects, attributes the code does not manage included (noisier: AWS fills some in after creation).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from rich.markup import escape

from tbyte.core.console import say, table
from tbyte.core.environment import Environment
from tbyte.infra import plans, terragrunt
from tbyte.infra.backend import state_version
from tbyte.infra.graph import Stack, graph
from tbyte.infra.operations import in_parallel
from tbyte.infra.plans import json_messages
from tbyte.infra.preflight import prepare

CLEAN, DRIFTED, ERROR, NOT_DEPLOYED = "clean", "drifted", "error", "not deployed"


@dataclass
class Change:
    address: str
    planned: str | None = None  # the action the plan would take (create, update, delete, replace, ...)
    drift: str | None = None  # what Terraform found changed outside it (update, delete)

    @property
    def cause(self) -> str:
        if self.drift == "delete":
            return "deleted outside Terraform"
        if self.planned == "delete":
            return "no longer in the code" + ("; also changed outside Terraform" if self.drift else "")
        if self.drift:
            return f"changed outside Terraform ({self.drift})"
        if self.planned == "create":
            return "in the code, never applied"
        return "the code differs from what was applied"


@dataclass
class StackDrift:
    stack: str
    status: str = CLEAN
    changes: list[Change] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    unmanaged_drift: list[str] = field(default_factory=list)  # drift the plan does not act on
    error: str | None = None
    seconds: float = 0.0


def parse(stack: Stack, stdout: str, refresh_only: bool) -> StackDrift:
    planned: dict[str, str] = {}
    drifted: dict[str, str] = {}
    outputs: list[str] = []
    for message in json_messages(stdout):
        kind = message.get("type")
        if kind in ("planned_change", "resource_drift"):
            change = message.get("change", {})
            address = change.get("resource", {}).get("addr", "?")
            (planned if kind == "planned_change" else drifted)[address] = change.get("action", "?")
        elif kind == "outputs" and not refresh_only:
            outputs += [name for name, out in message.get("outputs", {}).items() if out.get("action") != "noop"]
    result = StackDrift(stack.name, outputs=sorted(outputs))
    if refresh_only:
        result.changes = [Change(address, drift=action) for address, action in sorted(drifted.items())]
    else:
        result.changes = [Change(address, planned=action, drift=drifted.get(address))
                          for address, action in sorted(planned.items())]
        result.unmanaged_drift = sorted(drifted.keys() - planned.keys())
    return result


def check_stack(stack: Stack, refresh_only: bool = False) -> StackDrift:
    started = time.monotonic()
    if state_version(stack) is None:
        return StackDrift(stack.name, status=NOT_DEPLOYED)
    args = ["plan", "-json", "-input=false", "-lock=false", "-detailed-exitcode"]
    result = terragrunt.run(stack.env, stack.directory, *args, *(["-refresh-only"] if refresh_only else []),
                            log=plans.log_file(stack, "drift"))
    drift = parse(stack, result.stdout, refresh_only)
    drift.seconds = time.monotonic() - started
    if result.returncode not in (0, 2):
        drift.status, drift.error = ERROR, terragrunt.first_error(result)
    elif drift.changes or drift.outputs or (result.returncode == 2 and not refresh_only):
        # A refresh-only plan also exits 2 when only the state's internal representation would be rewritten
        # (nothing Terraform reports as drift): only its resource_drift messages count.
        drift.status = DRIFTED
    mark = {CLEAN: "[green]✓[/]", DRIFTED: "[yellow]≠[/]", ERROR: "[red]✗[/]"}[drift.status]
    say(f"{mark} {stack} {drift.status} ({drift.seconds:.1f}s)")
    return drift


def check(env: Environment, stack: str | None = None, refresh_only: bool = False) -> list[StackDrift]:
    """Every stack (or one), all at once (each plan reads its dependencies' states, not their plans)."""
    stacks = [member for layer in graph(env).layers(stack) for member in layer]
    prepare(env)
    return in_parallel(lambda member: check_stack(member, refresh_only), stacks)


def rows(results: list[StackDrift]) -> list[list[str]]:
    lines = []
    for result in results:
        if result.status == ERROR:
            lines.append([result.stack, "-", "-", f"error: {result.error}"])
        elif result.status == NOT_DEPLOYED:
            lines.append([result.stack, "-", "-", "not deployed (no state): skipped"])
        elif result.status == CLEAN:
            lines.append([result.stack, "-", "-", "clean"])
        for change in result.changes:
            lines.append([result.stack, change.address, change.planned or change.drift or "-", change.cause])
        for name in result.outputs:
            lines.append([result.stack, f"output.{name}", "update", "an output would change"])
        if result.status == DRIFTED and not result.changes and not result.outputs:
            lines.append([result.stack, "-", "-", "the plan has changes (see the drift log)"])
    return lines


def report(env: Environment, results: list[StackDrift], refresh_only: bool = False) -> None:
    title = f"Drift of {env}" + (" (refresh-only: state vs. real objects)" if refresh_only else "")
    table(title, ["stack", "resource", "action", "cause"], [[escape(str(c)) for c in row] for row in rows(results)])
    unmanaged = {result.stack: result.unmanaged_drift for result in results if result.unmanaged_drift}
    if unmanaged:
        count = sum(len(addresses) for addresses in unmanaged.values())
        say(f"note: {count} resource(s) differ from the state only in attributes the code does not set "
            f"({escape(', '.join(f'{s}: {len(a)}' for s, a in unmanaged.items()))}); no plan acts on them; "
            f"`invoke drift --env {env} --refresh-only` lists them")


def as_json(env: Environment, results: list[StackDrift]) -> dict:
    return {"env": env.name, "drifted": any(r.status == DRIFTED for r in results),
            "errors": any(r.status == ERROR for r in results),
            "stacks": {result.stack: asdict(result) for result in results}}


def exit_code(results: list[StackDrift]) -> int:
    """1 when a stack could not be checked, 2 when one drifted, 0 when every deployed stack is clean."""
    if any(result.status == ERROR for result in results):
        return 1
    if any(result.status == DRIFTED for result in results):
        return 2
    return 0
