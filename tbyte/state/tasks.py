"""State operations of one stack (list, show, pull, mv, rm, import, push, backups, restore, unlock), through Terragrunt.

Prefer `moved`, `import` and `removed` blocks in the code, reviewed in a pull request; these tasks are for
emergencies, locks and recovery (docs/state-runbook.md). Every change previews first, changes nothing without
--yes, backs the state up under .state-backups/<env>/<stack>/ and prints the command that undoes it.
"""

import json
import sys
from pathlib import Path

from invoke import Collection

from tbyte.core import arguments
from tbyte.core.console import show as show_line
from tbyte.core.errors import Refused
from tbyte.core.task import environment, task
from tbyte.core.tasklock import task_lock
from tbyte.infra.graph import Stack, graph
from tbyte.state import backups as backup_store
from tbyte.state import operations
from tbyte.state.backups import find_backup, read_state_file

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
STACK_HELP = "the stack (a folder of terragrunt/<env>/: vpc, eks, node-group, iam, rds, ...)"
YES_HELP = "make the change (without it: only the preview, nothing changes)"
ADDRESS_HELP = "a resource address as `state.list` prints it (e.g. aws_vpc.this, module.x.aws_iam_role.y[\"k\"])"


def _stack(c, env, stack) -> Stack:
    return graph(environment(c, env)).get(stack)


def _changing(stack: Stack, operation: str):
    return task_lock(stack.env.plans_dir, stack.env.name, f"state.{operation}")


@task(name="list", help={"env": ENV_HELP, "stack": STACK_HELP})
def list_(c, env, stack):
    """List the resource addresses in the stack's state (terraform state list)."""
    addresses = operations.list_addresses(_stack(c, env, stack))
    sys.stdout.write("".join(f"{address}\n" for address in addresses))


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "address": ADDRESS_HELP})
def show(c, env, stack, address):
    """Show one resource of the stack's state (terraform state show)."""
    target = _stack(c, env, stack)
    sys.stdout.write(operations.show(target, arguments.address("--address", address)))


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "output": "write the state to this new file, readable by you only (default: stdout)"})
def pull(c, env, stack, output=None):
    """Print (or save) the stack's current state; its serial, lineage and S3 version go to stderr."""
    target = _stack(c, env, stack)
    path = arguments.new_file("--output", output) if output is not None else None
    pulled = operations.pull_state(target, path)
    if path is None:
        sys.stdout.write(pulled.state.text)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "source": "the current address", "destination": "the new address",
            "yes": YES_HELP})
def mv(c, env, stack, source, destination, yes=False):
    """Move a resource to a new address in the state (prefer a `moved` block in the code)."""
    target = _stack(c, env, stack)
    source, destination = arguments.address("--source", source), arguments.address("--destination", destination)
    if source == destination:
        raise Refused(f"--source and --destination are both {source}; nothing was changed")
    with _changing(target, "mv"):
        operations.move(target, source, destination, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "address": "the resource, module or instance to forget",
            "yes": YES_HELP})
def rm(c, env, stack, address, yes=False):
    """Make Terraform forget a resource without destroying it (prefer a `removed` block in the code)."""
    target = _stack(c, env, stack)
    address = arguments.address("--address", address)
    with _changing(target, "rm"):
        operations.remove(target, address, yes=yes)


@task(name="import", help={"env": ENV_HELP, "stack": STACK_HELP, "address": "the resource address in the code",
                           "id": "the remote object's import id (e.g. igw-0123...)", "yes": YES_HELP})
def import_(c, env, stack, address, id_, yes=False):
    """Adopt an existing remote object as a resource of the code (prefer an `import` block in the code)."""
    target = _stack(c, env, stack)
    address, remote = arguments.address("--address", address), arguments.remote_id("--id", id_)
    with _changing(target, "import"):
        operations.import_resource(target, address, remote, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "file": "the state file to push",
            "force": "push a state of another lineage or an older serial", "yes": YES_HELP})
def push(c, env, stack, file, force=False, yes=False):
    """Replace the stack's state by a state file (same lineage, not older, unless --force)."""
    target = _stack(c, env, stack)
    state = read_state_file(Path(arguments.required("--file", file)).expanduser(), "--file")
    with _changing(target, "push"):
        operations.push(target, state, force=force, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "json": "print the backups as JSON"})
def backups(c, env, stack, json_=False):
    """List the state backups of the stack (taken before every change), newest last."""
    target = _stack(c, env, stack)
    found = backup_store.backups(target)
    if json_:
        print(json.dumps([{"name": b.name, "path": str(b.path), **b.meta} for b in found], indent=2))
        return
    if not found:
        show_line(f"no backups of {target} in {backup_store.backup_dir(target)}")
        return
    for b in found:  # one line each, never wrapped: the names are to be copied into state.restore
        meta = b.meta
        show_line(f"{b.name}  taken {meta.get('taken_at', '?')}  serial {meta.get('serial', '?')}  "
                  f"{meta.get('resources', '?')} resources  S3 version {meta.get('s3_version_id', '?')}  "
                  f"before: {meta.get('operation', '?')}")


@task(help={"env": ENV_HELP, "stack": STACK_HELP, "backup": "a backup name (see state.backups) or a state file path",
            "force": "restore a backup of another lineage", "yes": YES_HELP})
def restore(c, env, stack, backup, force=False, yes=False):
    """Bring a backup back as the stack's state (written with a serial above the current one)."""
    target = _stack(c, env, stack)
    state = read_state_file(find_backup(target, arguments.required("--backup", backup)), "--backup")
    with _changing(target, "restore"):
        operations.restore(target, state, force=force, yes=yes)


@task(help={"env": ENV_HELP, "stack": STACK_HELP,
            "lock-id": "the id of the lock to release (without it: only show who holds the lock)"})
def unlock(c, env, stack, lock_id=None):
    """Show who holds the stack's state lock and since when, and release it (only with its exact id)."""
    target = _stack(c, env, stack)
    checked = arguments.lock_id("--lock-id", lock_id) if lock_id is not None else None
    with _changing(target, "unlock"):
        operations.unlock(target, checked)


ns = Collection(list_, show, pull, mv, rm, import_, push, backups, restore, unlock)
