"""plan / apply / destroy / output / drift / bench: the environments under terragrunt/."""

import json

import invoke

from tbyte.core.console import show, table
from tbyte.core.environment import LOCAL
from tbyte.core.task import environment, task
from tbyte.core.tasklock import task_lock
from tbyte.infra import drift as drift_check
from tbyte.infra import operations
from tbyte.infra.graph import graph
from tbyte.infra.outputs import output as read_outputs
from tbyte.infra.preflight import require_credentials

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
STACK_HELP = "one stack only (a folder of terragrunt/<env>/); default: all, in dependency order"


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "detailed-exitcode": "exit 0 when nothing would change, 2 when something would, 1 on error",
            "no-lock": "plan without taking the state lock (read-only roles: CI's plan role); never for an apply"})
def plan(c, env, stack=None, detailed_exitcode=False, no_lock=False):
    """Plan every stack, independent ones in parallel; save one plan per stack and print a summary table."""
    target = environment(c, env)
    graph(target).layers(stack)  # an unknown stack is refused before anything runs
    require_credentials(target)
    with task_lock(target.plans_dir, target.name, "plan"):
        summaries = operations.plan(target, stack, lock=not no_lock)
    if detailed_exitcode and any(summary.has_changes for summary in summaries):
        raise invoke.Exit(code=2)


@task(help={"env": ENV_HELP, "stack": STACK_HELP})
def apply(c, env, stack=None):
    """Apply the saved plans of the last `invoke plan`; a missing or stale plan is refused before any change."""
    target = environment(c, env)
    graph(target).layers(stack)
    require_credentials(target)
    with task_lock(target.plans_dir, target.name, "apply"):
        operations.apply(target, stack)


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "confirm": "the environment's name again (required for stage and prod)"})
def destroy(c, env, stack=None, confirm=None):
    """Destroy every stack (or one) in reverse dependency order."""
    target = environment(c, env)
    graph(target).layers(stack)
    operations.require_confirmation(target, confirm)
    require_credentials(target)
    with task_lock(target.plans_dir, target.name, "destroy"):
        operations.destroy(target, stack, confirm)


@task(help={"env": ENV_HELP, "json": "print one JSON object {stack: {output: value}}"})
def output(c, env, json_=False):
    """Print the outputs of every applied stack (sensitive values masked)."""
    values = read_outputs(environment(c, env))
    if json_:
        print(json.dumps(values, indent=2))
        return
    for stack, outputs in values.items():
        show(stack)
        for name, value in outputs.items():
            show(f"  {name} = {json.dumps(value)}")


@task(help={"env": ENV_HELP, "stack": "one stack only; default: every stack",
            "refresh-only": "compare the state with the real objects only (every attribute, the code aside)",
            "json": "print the result as JSON on stdout"})
def drift(c, env, stack=None, refresh_only=False, json_=False):
    """Plan every stack (nothing saved, no lock): exit 0 when all match, 2 when something drifted, 1 on error."""
    target = environment(c, env)
    found = drift_check.check(target, stack, refresh_only)
    if json_:
        print(json.dumps(drift_check.as_json(target, found), indent=2))
    else:
        drift_check.report(target, found, refresh_only)
    code = drift_check.exit_code(found)
    if code == 1:
        failed = [f"{r.stack}: {r.error}" for r in found if r.status == drift_check.ERROR]
        raise invoke.Exit(f"error: the drift check of {env} failed for {'; '.join(failed)}", code=1)
    if code == 2:
        drifted = [r.stack for r in found if r.status == drift_check.DRIFTED]
        raise invoke.Exit(f"drift in {env}: {', '.join(drifted)}", code=2)


@task(help={"json": "print one JSON object with the figures"})
def bench(c, json_=False):
    """Measure `invoke up` and a warm `invoke plan --env local` against naive Terragrunt runs (private emulator and
    control plane), and where the time of each stack's plan goes."""
    from tbyte.infra import bench as measure

    figures = measure.run(environment(c, LOCAL).settings)
    if json_:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        if name != "stacks":
            show(f"{name:28} {value}")
    table("Where a plan's time goes, per stack (seconds)", ["stack", "wall in invoke plan", "CPU alone",
                                                            "emulator CPU alone"],
          [[name, f["plan_wall_seconds"], f["cpu_seconds"], f["emulator_cpu_seconds"]]
           for name, f in figures["stacks"].items()])
