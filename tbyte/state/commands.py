"""Terraform's state commands in one stack, always through Terragrunt (so always against the stack's backend)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from tbyte.core.console import say, say_plain
from tbyte.core.errors import ChangeFailed, Refused
from tbyte.infra import plans, terragrunt
from tbyte.infra.backend import state_version
from tbyte.infra.graph import Stack
from tbyte.infra.state_locks import refuse_lock_error
from tbyte.state.statefile import StateFile, matches


@dataclass
class Pulled:
    """The stack's current state as `terraform state pull` returns it, and the S3 version id it came from."""

    stack: Stack
    state: StateFile | None
    version_id: str | None


def run(stack: Stack, *args: str, action: str) -> subprocess.CompletedProcess:
    return terragrunt.run(stack.env, stack.directory, *args, log=plans.log_file(stack, f"state-{action}"))


def first_error(result: subprocess.CompletedProcess) -> str:
    """Terraform's own error line (state commands print `Failed to ...` rather than `Error: ...`)."""
    for line in (result.stderr + "\n" + result.stdout).splitlines():
        text = line.strip().lstrip("│ ").strip()
        if text.startswith(("Error:", "Failed to", "Error ")):
            return text
    return terragrunt.first_error(result)


def refuse_failed(stack: Stack, result: subprocess.CompletedProcess, doing: str) -> None:
    """A failed terraform command that changed nothing, as one line (a held lock names its holder)."""
    refuse_lock_error(stack, result.stdout + result.stderr)
    raise Refused(f"{doing} in {stack} failed: {first_error(result)}; nothing was changed")


def pull(stack: Stack) -> Pulled:
    """The current state and the S3 version it was read from (read again if the state changed meanwhile)."""
    for _ in range(3):
        before = state_version(stack)
        result = run(stack, "state", "pull", action="pull")
        if result.returncode != 0:
            refuse_failed(stack, result, "reading the state")
        after = state_version(stack)
        if before == after:
            text = result.stdout
            state = StateFile.parse(text, f"the state of {stack}") if text.strip() else None
            return Pulled(stack, state, after)
    raise Refused(f"the state of {stack} keeps changing while it is read; is another run applying it? "
                  "nothing was changed")


def require_state(pulled: Pulled) -> StateFile:
    if pulled.state is None:
        raise Refused(f"{pulled.stack} has no state yet (never applied); nothing was changed")
    return pulled.state


def require_address(pulled: Pulled, address: str, argument: str = "--address") -> list[str]:
    covered = require_state(pulled).covered(address)
    if not covered:
        stack = pulled.stack
        raise Refused(f"{argument} {address}: no such resource in the state of {stack} "
                      f"(`invoke state.list --env {stack.env} --stack {stack.name}` lists them); "
                      "nothing was changed")
    return covered


def plan_changes(stack: Stack) -> plans.PlanSummary:
    """A plan of the stack (nothing saved, no lock: nothing that could be applied by mistake)."""
    result = run(stack, "plan", "-json", "-input=false", "-lock=false", "-detailed-exitcode", action="verify-plan")
    summary = plans.parse_json_stream(stack, result.stdout)
    if result.returncode not in (0, 2):
        summary.error = first_error(result)
    return summary


def changes_touching(summary: plans.PlanSummary, addresses: list[str]) -> list[str]:
    return [changed for changed in summary.changed if any(matches(a, changed) or matches(changed, a)
                                                            for a in addresses)]


def verify_plan(stack: Stack, addresses: list[str], undo: str, what: str) -> None:
    """A plan shows no change for `addresses`; other changes are reported, not failed."""
    say(f"verifying: planning {stack}")
    summary = plan_changes(stack)
    if summary.error:
        raise ChangeFailed(f"{what} was done, but the verifying plan failed: {summary.error}", undo)
    touching = changes_touching(summary, addresses)
    if touching:
        raise ChangeFailed(f"{what} was done, but a plan still changes {', '.join(touching)} "
                           "(does the code declare it?)", undo)
    others = [changed for changed in summary.changed if changed not in touching]
    if others:
        say_plain(f"note: the plan also changes {', '.join(others)} (unrelated to {what})")
    say_plain(f"✓ verified: a plan shows no change for {', '.join(addresses)}")
