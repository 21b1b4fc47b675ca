"""plan / apply / destroy / output: the environments under terragrunt/, stack by stack in dependency order."""

import json

import invoke

from tbyte import operations
from tbyte.console import results
from tbyte.tasks.base import task

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
STACK_HELP = "one stack only (vpc, eks, node-group, iam, rds); default: all, in dependency order"


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "detailed-exitcode": "exit 0 when nothing would change, 2 when something would, 1 on error"})
def plan(c, env, stack=None, detailed_exitcode=False):
    """Plan every stack, independent ones in parallel; save one plan per stack and print a summary table."""
    summaries = operations.plan(env, stack)
    if detailed_exitcode and any(summary.has_changes for summary in summaries):
        raise invoke.Exit(code=2)


@task(help={"env": ENV_HELP, "stack": STACK_HELP})
def apply(c, env, stack=None):
    """Apply the saved plans of the last `invoke plan`; a missing or stale plan is refused before any change."""
    operations.apply(env, stack)


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "confirm": "the environment's name again (required for stage and prod)"})
def destroy(c, env, stack=None, confirm=None):
    """Destroy every stack (or one) in reverse dependency order."""
    operations.destroy(env, stack, confirm)


@task(help={"env": ENV_HELP, "json": "print one JSON object {stack: {output: value}}"})
def output(c, env, json_=False):
    """Print the outputs of every applied stack (sensitive values masked)."""
    values = operations.output(env)
    if json_:
        print(json.dumps(values, indent=2))
        return
    for stack, outputs in values.items():
        results.print(f"[bold]{stack}[/]")
        for name, value in outputs.items():
            results.print(f"  {name} = {json.dumps(value)}")


@task
def up(c):
    """Bring up the whole local platform in the AWS emulator, prove a re-plan is clean, print key outputs."""
    operations.up()


@task
def down(c):
    """Destroy the whole local platform and stop the AWS emulator."""
    operations.down()


@task(help={"json": "print one JSON object with the six figures"})
def bench(c, json_=False):
    """Measure `invoke up` and a warm `invoke plan --env local` against naive Terragrunt runs (private emulator)."""
    from tbyte import bench as measure

    figures = measure.run()
    if json_:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:28} {value}")
