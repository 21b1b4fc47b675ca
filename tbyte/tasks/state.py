"""State operations of one stack (list, show, pull, mv, rm, import, push, backups, restore, unlock), through Terragrunt.

Prefer `moved`, `import` and `removed` blocks in the code, reviewed in a pull request; these tasks are for
emergencies, locks and recovery (docs/state-runbook.md). Every change previews first, changes nothing without
--yes, backs the state up under .state-backups/<env>/<stack>/ and prints the command that undoes it.
"""

import json
import sys

import invoke
from invoke import Collection

from tbyte import drift as drift_check
from tbyte import state_ops
from tbyte.console import results
from tbyte.tasks.base import task

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
STACK_HELP = "the stack (vpc, eks, node-group, iam, rds)"
YES_HELP = "make the change (without it: only the preview, nothing changes)"


def _changing(operation, *args, **kwargs):
    """Run a state change; a failed verification (after the change) exits 1 with the undo command."""
    try:
        return operation(*args, **kwargs)
    except state_ops.StateOperationFailed as failure:
        raise invoke.Exit(f"error: {failure}", code=1) from None


@task(name="list", help={"env": ENV_HELP, "stack": STACK_HELP})
def list_(c, env, stack):
    """List the resource addresses in the stack's state (terraform state list)."""
    addresses = state_ops.list_addresses(env, stack)
    sys.stdout.write("".join(f"{address}\n" for address in addresses))


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "address": "the resource address (see state.list)"})
def show(c, env, stack, address):
    """Show one resource of the stack's state (terraform state show)."""
    sys.stdout.write(state_ops.show(env, stack, address))


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "output": "write the state to this file (default: stdout)"})
def pull(c, env, stack, output=None):
    """Print (or save) the stack's current state; its serial, lineage and S3 version go to stderr."""
    pulled = state_ops.pull_state(env, stack, output)
    if not output:
        sys.stdout.write(pulled.state.text)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "source": "the current address", "destination": "the new address",
            "yes": YES_HELP})
def mv(c, env, stack, source, destination, yes=False):
    """Move a resource to a new address in the state (prefer a `moved` block in the code)."""
    _changing(state_ops.move, env, stack, source, destination, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "address": "the resource, module or instance to forget",
            "yes": YES_HELP})
def rm(c, env, stack, address, yes=False):
    """Make Terraform forget a resource without destroying it (prefer a `removed` block in the code)."""
    _changing(state_ops.remove, env, stack, address, yes=yes)


@task(name="import", help={"env": ENV_HELP, "stack": STACK_HELP, "address": "the resource address in the code",
                           "id": "the remote object's import id (e.g. igw-0123...)", "yes": YES_HELP})
def import_(c, env, stack, address, id_, yes=False):
    """Adopt an existing remote object as a resource of the code (prefer an `import` block in the code)."""
    _changing(state_ops.import_resource, env, stack, address, id_, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "file": "the state file to push",
            "force": "push a state of another lineage or an older serial", "yes": YES_HELP})
def push(c, env, stack, file, force=False, yes=False):
    """Replace the stack's state by a state file (same lineage, not older, unless --force)."""
    _changing(state_ops.push, env, stack, file, force=force, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "json": "print the backups as JSON"})
def backups(c, env, stack, json_=False):
    """List the state backups of the stack (taken before every change), newest last."""
    found = state_ops.list_backups(env, stack)
    if json_:
        print(json.dumps([{"name": b.name, "path": str(b.path), **b.meta} for b in found], indent=2))
        return
    if not found:
        results.print(f"no backups of {env}/{stack} in {state_ops.backup_dir(state_ops.stack_of(env, stack))}")
        return
    for b in found:  # one line each, never wrapped: the names are to be copied into state.restore
        meta = b.meta
        results.print(f"{b.name}  taken {meta.get('taken_at', '?')}  serial {meta.get('serial', '?')}  "
                      f"{meta.get('resources', '?')} resources  S3 version {meta.get('s3_version_id', '?')}  "
                      f"before: {meta.get('operation', '?')}", soft_wrap=True, markup=False)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "backup": "a backup name (see state.backups) or a state file path",
            "force": "restore a backup of another lineage", "yes": YES_HELP})
def restore(c, env, stack, backup, force=False, yes=False):
    """Bring a backup back as the stack's state (written with a serial above the current one)."""
    _changing(state_ops.restore, env, stack, backup, force=force, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "lock-id": "the id of the lock to release (without it: only show who holds the lock)"})
def unlock(c, env, stack, lock_id=None):
    """Show who holds the stack's state lock and since when, and release it (only with its exact id)."""
    state_ops.unlock(env, stack, lock_id)


ns = Collection(list_, show, pull, mv, rm, import_, push, backups, restore, unlock)


@task(help={"env": ENV_HELP, "stack": "one stack only; default: every stack",
            "refresh-only": "compare the state with the real objects only (every attribute, the code aside)",
            "json": "print the result as JSON on stdout"})
def drift(c, env, stack=None, refresh_only=False, json_=False):
    """Plan every stack (nothing saved): exit 0 when all match, 2 when something drifted, 1 on error."""
    found = drift_check.check(env, stack, refresh_only)
    if json_:
        print(json.dumps(drift_check.as_json(env, found), indent=2))
    else:
        drift_check.report(env, found, refresh_only)
    code = drift_check.exit_code(found)
    if code == 1:
        failed = [f"{r.stack}: {r.error}" for r in found if r.status == drift_check.ERROR]
        raise invoke.Exit(f"error: the drift check of {env} failed for {'; '.join(failed)}", code=1)
    if code == 2:
        drifted = [r.stack for r in found if r.status == drift_check.DRIFTED]
        raise invoke.Exit(f"drift in {env}: {', '.join(drifted)}", code=2)
