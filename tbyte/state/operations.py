"""The state operations of one stack: the read-only ones, and each change as a small description for driver.py."""

from __future__ import annotations

from pathlib import Path

from tbyte.core.console import say, say_plain
from tbyte.core.errors import Refused
from tbyte.core.files import write_private
from tbyte.infra.graph import Stack
from tbyte.infra.preflight import prepare
from tbyte.infra.state_locks import describe_lock, lock_info, refuse_if_locked, unlock_command
from tbyte.state.backups import Backup, restore_command
from tbyte.state.commands import (
    Pulled,
    changes_touching,
    first_error,
    plan_changes,
    pull,
    refuse_failed,
    require_address,
    require_state,
    run,
)
from tbyte.state.driver import UPLOAD, Change, execute
from tbyte.state.statefile import StateFile, difference, matches

# --- read-only -------------------------------------------------------------------------------------------------


def list_addresses(stack: Stack) -> list[str]:
    prepare(stack.env)
    result = run(stack, "state", "list", action="list")
    if result.returncode != 0:
        refuse_failed(stack, result, "listing the state")
    return [line for line in result.stdout.splitlines() if line.strip()]


def show(stack: Stack, address: str) -> str:
    prepare(stack.env)
    require_address(pull(stack), address)
    result = run(stack, "state", "show", "--", address, action="show")
    if result.returncode != 0:
        refuse_failed(stack, result, "showing the resource")
    return result.stdout


def pull_state(stack: Stack, output: Path | None = None) -> Pulled:
    prepare(stack.env)
    pulled = pull(stack)
    state = require_state(pulled)
    if output:
        write_private(output, state.text)
        say_plain(f"wrote {output} (readable by you only)")
    say_plain(f"{stack}: serial {state.serial}, lineage {state.lineage}, S3 version {pulled.version_id}, "
              f"{len(state.instances())} resource instances")
    return pulled


# --- changes ---------------------------------------------------------------------------------------------------


def start_change(stack: Stack) -> Pulled:
    prepare(stack.env)
    refuse_if_locked(stack)
    return pull(stack)


def move(stack: Stack, source: str, destination: str, yes: bool = False) -> Backup | None:
    """`terraform state mv`: the resource keeps its remote object under a new address."""
    pulled = start_change(stack)
    moving = require_address(pulled, source, "--source")
    existing = [candidate for candidate in pulled.state.covered(destination) if candidate not in moving]
    if existing:
        raise Refused(f"--destination {destination} already exists in the state of {stack} "
                      f"({', '.join(existing)}); remove or move it first; nothing was changed")
    dry = run(stack, "state", "mv", "-dry-run", "--", source, destination, action="mv")
    if dry.returncode != 0:
        refuse_failed(stack, dry, f"moving {source} to {destination}")

    def check(after: StateFile) -> str | None:
        if not after.covered(destination) or (not matches(source, destination) and after.covered(source)):
            return f"state mv reported success but {destination} is not in the state (or {source} still is)"
        return None

    return execute(pulled, Change(
        action="mv", what=f"move {source} to {destination}", operation=f"mv {source} {destination}",
        preview=[f"  {line}" for line in dry.stdout.splitlines() if line.strip()],
        command=["state", "mv", "--", source, destination], check=check,
        done=f"moved {source} to {destination}", verify=[source, destination]), yes)


def remove(stack: Stack, address: str, yes: bool = False) -> Backup | None:
    """`terraform state rm`: Terraform forgets the resource; its remote object is left as it is."""
    pulled = start_change(stack)
    covered = require_address(pulled, address)
    instances = pulled.state.instances()

    def note_if_still_declared() -> None:
        summary = plan_changes(stack)
        again = changes_touching(summary, [address])
        if summary.error:
            say_plain(f"note: the checking plan failed: {summary.error}")
        elif again:
            say_plain(f"note: the code still declares {', '.join(again)}: the next apply would create it again. "
                      "Import it back (`invoke state.import ...`) or remove it from the code (a `removed` block).")

    return execute(pulled, Change(
        action="rm", what=f"remove {address} from the state", operation=f"rm {address}",
        preview=["  (the remote objects stay; Terraform forgets them)"] +
                [f"  - {candidate}  (id {instances[candidate].get('attributes', {}).get('id', '?')})"
                 for candidate in covered],
        command=["state", "rm", "--", address],
        check=lambda after: f"state rm reported success but {address} is still in the state"
        if after.covered(address) else None,
        done=f"removed {address} from the state", after=note_if_still_declared), yes)


def import_resource(stack: Stack, address: str, resource_id: str, yes: bool = False) -> Backup | None:
    """`terraform import`: an existing remote object becomes the resource at `address`."""
    pulled = start_change(stack)
    if pulled.state is not None and pulled.state.covered(address):
        held = ", ".join(pulled.state.covered(address))
        raise Refused(f"--address {address} is already in the state of {stack} ({held}); "
                      "nothing to import; nothing was changed")

    def undo(backup: Backup | None) -> str:
        return restore_command(stack, backup) if backup else \
            f"invoke state.rm --env {stack.env} --stack {stack.name} --address {address} --yes"

    return execute(pulled, Change(
        action="import", what=f"import {resource_id} as {address}", operation=f"import {address} {resource_id}",
        preview=[f"  + {address}  <=  {resource_id}  (the remote object is adopted, not changed)"],
        command=["import", "-input=false", "--", address, resource_id],
        check=lambda after: None if after.covered(address) else
        f"import reported success but {address} is not in the state",
        done=f"imported {resource_id} as {address}", verify=[address], undo=undo), yes)


def replacement(pulled: Pulled, target: StateFile, verb: str) -> list[str] | None:
    """The preview of replacing the state by `target`; None when it changes nothing."""
    current = pulled.state
    if current is not None and current.comparable() == target.comparable():
        say_plain(f"{target.origin} is already the state of {pulled.stack} (apart from its serial): "
                  f"nothing to {verb}")
        return None
    if current is None:
        lines = ["  the stack has no state yet"]
    else:
        lines = [f"  serial {current.serial} -> above it; lineage {current.lineage}"
                 f"{'' if current.lineage == target.lineage else ' -> ' + target.lineage}"]
    return lines + (difference(current, target) or
                    ["  no resource changes (only the document differs, e.g. its check results)"])


def replace_state(pulled: Pulled, target: StateFile, force: bool, operation: str, text: str, preview: list[str],
                  yes: bool) -> Backup | None:
    """Write `text` (the target's) as the stack's state through `terraform state push`, then check it arrived."""
    lineage_differs = pulled.state is not None and pulled.state.lineage != target.lineage
    return execute(pulled, Change(
        action=operation.split()[0], what=operation, operation=operation, preview=preview,
        command=["state", "push", *(["-force"] if force else []), UPLOAD], upload=text,
        check=lambda after: None if after.comparable() == target.comparable() else
        f"the state now in the backend differs from {target.origin}",
        done=f"{operation}: the state of {pulled.stack} now matches {target.origin}",
        force_undo=lineage_differs), yes)


def push(stack: Stack, target: StateFile, force: bool = False, yes: bool = False) -> Backup | None:
    """`terraform state push`: replace the stack's state by a state file of the same lineage, not older."""
    file = target.origin
    pulled = start_change(stack)
    current = pulled.state
    if current is not None and not force:
        if current.lineage != target.lineage:
            raise Refused(f"{file} has lineage {target.lineage}, the state of {stack} has {current.lineage}: "
                          "it is another state, not a version of this one; --force pushes it anyway; "
                          "nothing was changed")
        if target.serial == current.serial and target.comparable() != current.comparable():
            raise Refused(f"{file} has the serial of the current state ({current.serial}) but another content: "
                          "Terraform refuses that; raise its serial above the current one, or use "
                          f"`invoke state.restore --env {stack.env} --stack {stack.name} --backup {file}` which "
                          "does; nothing was changed")
        if target.serial < current.serial:
            raise Refused(f"{file} has serial {target.serial}, older than the current {current.serial}: "
                          "pushing it would drop the changes made since; to bring an older state back use "
                          f"`invoke state.restore --env {stack.env} --stack {stack.name} --backup {file}`; "
                          "nothing was changed")
    preview = replacement(pulled, target, "push")
    if preview is None:
        return None
    return replace_state(pulled, target, force, f"push of {file}", target.text, preview, yes)


def restore(stack: Stack, target: StateFile, force: bool = False, yes: bool = False) -> Backup | None:
    """Bring a backup (or any state file) back, written with a serial above the current one."""
    backup = target.origin
    pulled = start_change(stack)
    current = pulled.state
    lineage_differs = current is not None and current.lineage != target.lineage
    if lineage_differs and not force:
        raise Refused(f"backup {backup} has lineage {target.lineage}, the state of {stack} has "
                      f"{current.lineage}: it belongs to another state; --force restores it anyway; "
                      "nothing was changed")
    preview = replacement(pulled, target, "restore")
    if preview is None:
        return None
    # Terraform accepts a pushed state only above the current serial.
    text = target.with_serial(current.serial + 1) if current is not None else target.text
    return replace_state(pulled, target, lineage_differs, f"restore of {Path(target.origin).name}", text,
                         preview, yes)


def unlock(stack: Stack, lock_id: str | None) -> dict:
    """Release a lock left by a run that died; the lock id must be the one the lock holds."""
    prepare(stack.env)
    info = lock_info(stack)
    if info is None:
        raise Refused(f"the state of {stack} is not locked; nothing was released")
    say_plain(f"the state of {stack} is locked: {describe_lock(info)}")
    for key in ("Path", "Version", "Info"):
        if info.get(key):
            say_plain(f"  {key}: {info[key]}")
    if not lock_id:
        raise Refused(f"make sure that run is dead, then release the lock with "
                      f"`{unlock_command(stack, info.get('ID', '?'))}`; nothing was released")
    if info.get("ID") != lock_id:
        raise Refused(f"--lock-id {lock_id} is not the id of the lock on {stack} ({info.get('ID')}); "
                      "nothing was released")
    result = run(stack, "force-unlock", "-force", lock_id, action="unlock")
    if result.returncode != 0:
        raise Refused(f"releasing the lock of {stack} failed: {first_error(result)}")
    if lock_info(stack) is not None:
        raise Refused(f"terraform force-unlock reported success but {stack} is still locked")
    say(f"[green]✓[/] released the lock {lock_id} of {stack}; plan before applying again: "
        f"`invoke plan --env {stack.env} --stack {stack.name}`")
    return info
