"""plan, apply, destroy and output over the stacks of an environment, in dependency order."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tbyte import plans, state_ops, terragrunt
from tbyte.console import results, say, table
from tbyte.emulator import Emulator
from tbyte.errors import UserError
from tbyte.plans import PlanSummary
from tbyte.preflight import prepare
from tbyte.stacks import LOCAL, Stack, layers, stacks
from tbyte.state_store import managed_resource_count, outputs, state_version

PROTECTED_ENVIRONMENTS = ("stage", "prod")


class StackFailed(UserError):
    """A stack's terraform run failed; the message names the stack and the first error line."""


def _in_parallel(function, layer: list[Stack]) -> list:
    try:
        with ThreadPoolExecutor(max_workers=len(layer)) as pool:
            return list(pool.map(function, layer))
    except KeyboardInterrupt:
        raise UserError("interrupted: Terraform was asked to stop gracefully and release its state lock; "
                        "check with `invoke state.unlock --env E --stack S`, then run `invoke plan` again") from None


def plan_stack(stack: Stack, destroy: bool = False) -> PlanSummary:
    say(f"[cyan]▶[/] {stack} planning")
    started = time.monotonic()
    made_from = plans.fingerprint(stack)  # taken first, so that a change during the plan makes it stale
    plans.discard(stack)
    plans.plan_file(stack).parent.mkdir(parents=True, exist_ok=True)
    args = ["plan", "-json", "-input=false", "-detailed-exitcode", f"-out={plans.plan_file(stack)}"]
    result = terragrunt.run(stack, *args, *(["-destroy"] if destroy else []), log=plans.log_file(stack, "plan"))
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


def plan(env: str, stack: str | None = None) -> list[PlanSummary]:
    """Plan every stack (or one), layer by layer, stacks of a layer in parallel; one saved plan each."""
    order = layers(env, stack)
    prepare(env, log=say)
    summaries: list[PlanSummary] = []
    for layer in order:
        summaries += _in_parallel(plan_stack, layer)
        if any(summary.error for summary in summaries):
            break
    print_plan_table(env, summaries)
    failed = [summary for summary in summaries if summary.error]
    if failed:
        raise StackFailed(f"plan of {env}/{failed[0].stack} failed: {failed[0].error}")
    return summaries


def print_plan_table(env: str, summaries: list[PlanSummary]) -> None:
    rows = [[s.stack, s.add, s.change, s.destroy, "error" if s.error else f"{s.seconds:.1f}s"] for s in summaries]
    table(f"Plan of {env}", ["stack", "add", "change", "destroy", "time"], rows)


def _saved_plan(stack: Stack) -> dict:
    """The stack's saved plan record; refused when missing or made from other code (no AWS call needed)."""
    record = plans.load_record(stack)
    if record is None:
        raise UserError(f"{stack}: no saved plan; run `invoke plan --env {stack.env}` first; nothing was applied")
    reason = plans.code_stale_reason(stack, record)
    if reason:
        raise UserError(f"{stack}: the saved plan is stale ({reason}); run `invoke plan --env {stack.env}` again; "
                        "nothing was applied")
    return record


def _check_applicable(stack: Stack) -> dict:
    record = _saved_plan(stack)
    reason = plans.stale_reason(stack, record)
    if reason:
        raise UserError(f"{stack}: the saved plan is stale ({reason}); run `invoke plan --env {stack.env}` again")
    return record


def apply_stack(stack: Stack) -> None:
    record = _check_applicable(stack)
    summary = record["summary"]
    if not (summary["add"] or summary["change"] or summary["destroy"]):
        say(f"[green]✓[/] {stack} has no changes to apply")
        plans.discard(stack)
        return
    say(f"[cyan]▶[/] {stack} applying (+{summary['add']} ~{summary['change']} -{summary['destroy']})")
    started = time.monotonic()
    result = terragrunt.run(stack, "apply", "-input=false", "-json", str(plans.plan_file(stack)),
                            log=plans.log_file(stack, "apply"))
    if result.returncode != 0 and "Error acquiring the state lock" in result.stdout + result.stderr:
        # Nothing was applied: the saved plan stays valid for when the lock is free again.
        info = state_ops.lock_info(stack)
        raise StackFailed(state_ops.locked_message(stack, info) if info else
                          f"{stack}: the state was locked by another run; nothing was changed")
    plans.discard(stack)  # applied or failed: a saved plan is never applied twice
    if result.returncode != 0:
        raise StackFailed(f"apply of {stack} failed: {terragrunt.first_error(result)}")
    say(f"[green]✓[/] {stack} applied in {time.monotonic() - started:.1f}s")


def apply(env: str, stack: str | None = None) -> None:
    """Apply the saved plans of the last `plan`, in dependency order; missing or stale plans are refused."""
    order = layers(env, stack)
    for layer in order:  # refuse before anything runs when a plan is missing or made from other code
        for member in layer:
            _saved_plan(member)
    prepare(env, log=say)
    for layer in order:  # and before anything changes when a state changed since
        for member in layer:
            _check_applicable(member)
    for layer in order:
        _in_parallel(apply_stack, layer)


def destroy(env: str, stack: str | None = None, confirm: str | None = None) -> None:
    """Destroy every stack (or one) in reverse dependency order."""
    order = layers(env, stack, reverse=True)
    if env in PROTECTED_ENVIRONMENTS and confirm != env:
        raise UserError(f"destroying {env} needs `--confirm {env}` typed out; nothing was destroyed")
    prepare(env, log=say)
    if stack is not None:
        dependents = [s.name for s in stacks(env).values() if stack in s.dependencies and managed_resource_count(s)]
        if dependents:
            raise UserError(f"{env}/{stack} still has dependents with resources: {', '.join(dependents)}; "
                            "destroy them first; nothing was destroyed")
    for layer in order:
        _in_parallel(destroy_stack, layer)


def destroy_stack(stack: Stack) -> None:
    if state_version(stack) is None or managed_resource_count(stack) == 0:
        say(f"[green]✓[/] {stack} has nothing to destroy")
        return
    say(f"[cyan]▶[/] {stack} destroying")
    started = time.monotonic()
    result = terragrunt.run(stack, "destroy", "-auto-approve", "-input=false", log=plans.log_file(stack, "destroy"))
    plans.discard(stack)
    if result.returncode != 0:
        raise StackFailed(f"destroy of {stack} failed: {terragrunt.first_error(result)}")
    say(f"[green]✓[/] {stack} destroyed in {time.monotonic() - started:.1f}s")


def output(env: str) -> dict[str, dict]:
    """Every stack's outputs, read from its state; sensitive values are masked."""
    prepare(env, log=say)
    values = {}
    for name, stack in stacks(env).items():
        recorded = outputs(stack)
        if recorded:
            values[name] = {
                key: "(sensitive)" if out.get("sensitive") else out["value"] for key, out in recorded.items()
            }
    return values


KEY_OUTPUTS = {
    "VPC id": ("vpc", "vpc_id"),
    "EKS endpoint": ("eks", "cluster_endpoint"),
    "EKS OIDC issuer": ("eks", "oidc_issuer_url"),
    "RDS endpoint": ("rds", "endpoint"),
    "database secret ARN": ("rds", "secret_arn"),
    "IRSA role: AWS Load Balancer Controller": ("iam", "alb_controller_role_arn"),
    "IRSA role: External Secrets": ("iam", "external_secrets_role_arn"),
    "IRSA role: application": ("iam", "app_role_arn"),
}


def up() -> dict[str, dict]:
    """The whole local platform: plan and apply layer by layer, then prove a re-plan has nothing to do."""
    env = LOCAL
    started = time.monotonic()
    prepare(env, log=say)
    for layer in layers(env):
        summaries = _in_parallel(plan_stack, layer)
        failed = [summary for summary in summaries if summary.error]
        if failed:
            raise StackFailed(f"plan of {env}/{failed[0].stack} failed: {failed[0].error}")
        _in_parallel(apply_stack, layer)
    say("re-planning every stack: nothing may change")
    replans = [summary for layer in layers(env) for summary in _in_parallel(plan_stack, layer)]
    print_plan_table(env, replans)
    changing = [summary for summary in replans if summary.has_changes or summary.error]
    for summary in replans:
        plans.discard(stacks(env)[summary.stack])
    if changing:
        details = "; ".join(f"{s.stack}: {s.error or ', '.join(s.changed)}" for s in changing)
        raise StackFailed(f"the local platform is not idempotent, a second plan still changes {details}")
    values = output(env)
    results.print("[bold]Local platform[/]")
    for label, (stack, name) in KEY_OUTPUTS.items():
        results.print(f"  {label + ':':42} {values.get(stack, {}).get(name, '-')}", soft_wrap=True, markup=False)
    say(f"[green]✓[/] local platform up in {time.monotonic() - started:.0f}s")
    return values


def down() -> None:
    """Destroy the local platform, then stop the emulator."""
    destroy(LOCAL)
    Emulator().stop()
    say("[green]✓[/] local platform destroyed and the emulator stopped")
