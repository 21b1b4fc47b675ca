"""plan, apply and destroy over the stacks of an environment, layer by layer in dependency order.

Stacks of a layer run in parallel. Every task that writes saved plans or changes a state holds the
environment's task lock (core/tasklock.py), so two runs of one checkout never mix their plans.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tbyte.core.console import say, table
from tbyte.core.environment import Environment
from tbyte.core.errors import ChangeFailed, Refused
from tbyte.core.files import private_dir
from tbyte.infra import plans, terragrunt
from tbyte.infra.backend import managed_resource_count, state_version
from tbyte.infra.graph import Stack, graph
from tbyte.infra.plans import PlanSummary
from tbyte.infra.preflight import prepare
from tbyte.infra.state_locks import refuse_lock_error

REPLAN = "run `invoke plan --env {env}` again"


def in_parallel(function, layer: list[Stack]) -> list:
    with ThreadPoolExecutor(max_workers=len(layer)) as pool:
        return list(pool.map(function, layer))


def plan_stack(stack: Stack, destroy: bool = False, lock: bool = True) -> PlanSummary:
    say(f"[cyan]▶[/] {stack} planning")
    started = time.monotonic()
    made_from = plans.fingerprint(stack)  # taken first, so that a change during the plan makes it stale
    plans.discard(stack)
    private_dir(stack.env.plans_dir)
    args = ["plan", "-json", "-input=false", "-detailed-exitcode", f"-out={plans.plan_file(stack)}",
            *([] if lock else ["-lock=false"]), *(["-destroy"] if destroy else [])]
    result = terragrunt.run(stack.env, stack.directory, *args, log=plans.log_file(stack, "plan"))
    summary = plans.parse_json_stream(stack, result.stdout)
    summary.seconds = time.monotonic() - started
    if result.returncode not in (0, 2):
        summary.error = terragrunt.first_error(result)
        plans.discard(stack)
        say(f"[red]✗[/] {stack} plan failed after {summary.seconds:.1f}s: {summary.error}")
        return summary
    plans.save_record(stack, summary, made_from)
    say(f"[green]✓[/] {stack} planned in {summary.seconds:.1f}s (+{summary.add} ~{summary.change} -{summary.destroy})")
    return summary


def plan(env: Environment, stack: str | None = None, lock: bool = True) -> list[PlanSummary]:
    """Plan every stack (or one), all at once: a plan reads its dependencies' outputs from their states, not
    from their plans, so no stack waits for another. One saved plan each, and a summary table."""
    stacks = [member for layer in graph(env).layers(stack) for member in layer]
    prepare(env)
    summaries = in_parallel(lambda member: plan_stack(member, lock=lock), stacks)
    print_plan_table(env, summaries)
    failed = [summary for summary in summaries if summary.error]
    if failed:
        raise Refused(f"plan of {env}/{failed[0].stack} failed: {failed[0].error}")
    return summaries


def print_plan_table(env: Environment, summaries: list[PlanSummary]) -> None:
    rows = [[s.stack, s.add, s.change, s.destroy, "error" if s.error else f"{s.seconds:.1f}s"] for s in summaries]
    table(f"Plan of {env}", ["stack", "add", "change", "destroy", "time"], rows)


def saved_plan(stack: Stack, check_state: bool = False) -> dict:
    """The stack's saved plan record; refused when missing or made from other code (no AWS call needed), and with
    `check_state` when the stack's state or a dependency's outputs changed since."""
    record = plans.load_record(stack)
    if record is None:
        raise Refused(f"{stack}: no saved plan; {REPLAN.format(env=stack.env)}; nothing was applied")
    reason = plans.stale_reason(stack, record) if check_state else plans.code_stale_reason(stack, record)
    if reason:
        raise Refused(f"{stack}: the saved plan is stale ({reason}); {REPLAN.format(env=stack.env)}; "
                      "nothing was applied")
    return record


def apply_stack(stack: Stack) -> None:
    record = saved_plan(stack, check_state=True)
    summary = record["summary"]
    if not (summary["add"] or summary["change"] or summary["destroy"]):
        say(f"[green]✓[/] {stack} has no changes to apply")
        plans.discard(stack)
        return
    say(f"[cyan]▶[/] {stack} applying (+{summary['add']} ~{summary['change']} -{summary['destroy']})")
    started = time.monotonic()
    result = terragrunt.run(stack.env, stack.directory, "apply", "-input=false", "-json",
                            str(plans.plan_file(stack)), log=plans.log_file(stack, "apply"))
    if result.returncode != 0:
        refuse_lock_error(stack, result.stdout + result.stderr)  # nothing applied: the plan stays valid
    plans.discard(stack)  # applied or failed: a saved plan is never applied twice
    if result.returncode != 0:
        raise ChangeFailed(f"apply of {stack} failed: {terragrunt.first_error(result)}",
                           f"read {plans.log_file(stack, 'apply')}, fix the cause, then {REPLAN.format(env=stack.env)}"
                           " and apply")
    say(f"[green]✓[/] {stack} applied in {time.monotonic() - started:.1f}s")


def apply_unreviewed(stack: Stack) -> PlanSummary:
    """Plan and apply in one Terraform run, without a saved plan: only for `invoke up` of local, whose changes
    nobody reviews (every other apply applies a reviewed, saved plan)."""
    say(f"[cyan]▶[/] {stack} applying")
    started = time.monotonic()
    result = terragrunt.run(stack.env, stack.directory, "apply", "-auto-approve", "-input=false", "-json",
                            log=plans.log_file(stack, "apply"))
    if result.returncode != 0:
        refuse_lock_error(stack, result.stdout + result.stderr)
        raise ChangeFailed(f"apply of {stack} failed: {terragrunt.first_error(result)}",
                           f"read {plans.log_file(stack, 'apply')}, fix the cause, then run `invoke up` again")
    summary = plans.parse_json_stream(stack, result.stdout)
    say(f"[green]✓[/] {stack} applied in {time.monotonic() - started:.1f}s")
    return summary


def apply(env: Environment, stack: str | None = None) -> None:
    """Apply the saved plans of the last `plan`, in dependency order; missing or stale plans are refused."""
    order = graph(env).layers(stack)
    for layer in order:  # refuse before anything runs when a plan is missing or made from other code
        for member in layer:
            saved_plan(member)
    prepare(env)
    for layer in order:  # and before anything changes when a state changed since
        for member in layer:
            saved_plan(member, check_state=True)
    for layer in order:
        in_parallel(apply_stack, layer)


def destroy(env: Environment, stack: str | None = None, confirm: str | None = None) -> None:
    """Destroy every stack (or one) in reverse dependency order."""
    stacks = graph(env)
    order = stacks.layers(stack, reverse=True)
    require_confirmation(env, confirm)
    prepare(env)
    if stack is not None:
        dependents = [s.name for s in stacks.dependents(stacks.get(stack)) if managed_resource_count(s)]
        if dependents:
            raise Refused(f"{env}/{stack} still has dependents with resources: {', '.join(dependents)}; "
                          "destroy them first; nothing was destroyed")
    for layer in order:
        in_parallel(destroy_stack, layer)


def require_confirmation(env: Environment, confirm: str | None) -> None:
    if env.is_protected and confirm != env.name:
        raise Refused(f"destroying {env} needs `--confirm {env}` typed out; nothing was destroyed")


def destroy_stack(stack: Stack) -> None:
    if state_version(stack) is None or managed_resource_count(stack) == 0:
        say(f"[green]✓[/] {stack} has nothing to destroy")
        return
    say(f"[cyan]▶[/] {stack} destroying")
    started = time.monotonic()
    result = terragrunt.run(stack.env, stack.directory, "destroy", "-auto-approve", "-input=false",
                            log=plans.log_file(stack, "destroy"))
    plans.discard(stack)
    if result.returncode != 0:
        refuse_lock_error(stack, result.stdout + result.stderr)
        raise ChangeFailed(f"destroy of {stack} failed: {terragrunt.first_error(result)}",
                           f"fix the cause, then `invoke destroy --env {stack.env} --stack {stack.name}` again")
    say(f"[green]✓[/] {stack} destroyed in {time.monotonic() - started:.1f}s")
