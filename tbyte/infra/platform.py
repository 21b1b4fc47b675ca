"""The outputs of an environment, and the whole local platform: up (apply, prove idempotent) and down."""

from __future__ import annotations

import time

from tbyte.core.console import say, show
from tbyte.core.environment import Environment
from tbyte.core.errors import ChangeFailed
from tbyte.emulator.manager import Emulator
from tbyte.infra import plans
from tbyte.infra.backend import outputs
from tbyte.infra.graph import graph
from tbyte.infra.operations import apply_stack, destroy, in_parallel, plan_stack, print_plan_table
from tbyte.infra.preflight import prepare

# What `invoke up` prints at the end: label -> (stack, output).
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


def output(env: Environment) -> dict[str, dict]:
    """Every stack's outputs, read from its state; sensitive values are masked."""
    stacks = graph(env)
    prepare(env)
    values = {}
    for name, stack in stacks.stacks.items():
        recorded = outputs(stack)
        if recorded:
            values[name] = {key: "(sensitive)" if out.get("sensitive") else out["value"]
                            for key, out in recorded.items()}
    return values


def up(env: Environment) -> dict[str, dict]:
    """The whole local platform: plan and apply layer by layer, then prove a re-plan has nothing to do."""
    started = time.monotonic()
    order = graph(env).layers()
    prepare(env)
    for layer in order:
        summaries = in_parallel(plan_stack, layer)
        failed = [summary for summary in summaries if summary.error]
        if failed:
            raise ChangeFailed(f"plan of {env}/{failed[0].stack} failed: {failed[0].error}",
                               "fix the cause and run `invoke up` again (it continues where it stopped)")
        in_parallel(apply_stack, layer)
    say("re-planning every stack: nothing may change")
    replans = [summary for layer in order for summary in in_parallel(plan_stack, layer)]
    print_plan_table(env, replans)
    for layer in order:
        for stack in layer:
            plans.discard(stack)
    changing = [summary for summary in replans if summary.has_changes or summary.error]
    if changing:
        details = "; ".join(f"{s.stack}: {s.error or ', '.join(s.changed)}" for s in changing)
        raise ChangeFailed(f"the local platform is not idempotent, a second plan still changes {details}",
                           "fix the module (or the emulator correction) and run `invoke up` again")
    values = output(env)
    show("Local platform")
    for label, (stack, name) in KEY_OUTPUTS.items():
        show(f"  {label + ':':42} {values.get(stack, {}).get(name, '-')}")
    say(f"[green]✓[/] local platform up in {time.monotonic() - started:.0f}s")
    return values


def down(env: Environment) -> None:
    """Destroy the local platform, then stop the emulator."""
    destroy(env)
    Emulator(env.settings.emulator_port).stop()
    say("[green]✓[/] local platform destroyed and the emulator stopped")
