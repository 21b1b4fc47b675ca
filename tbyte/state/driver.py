"""The one protocol of every state change (mv, rm, import, push, restore):

    refuse bad input (before anything)  ->  preview  ->  without --yes: stop, nothing changed
    ->  back up the pulled state  ->  run the terraform command  ->  verify the new state (and a plan)
    ->  print the command that undoes it

An operation (operations.py) is a small Change: what it does, its preview, its terraform command, how its
result is checked. A failure before the state changed is Refused (exit 1); after, ChangeFailed (exit 3)
carrying the undo command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tbyte.core.console import say, say_plain
from tbyte.core.errors import ChangeFailed
from tbyte.core.files import write_private
from tbyte.infra.backend import state_version
from tbyte.state.backups import Backup, backup_dir, restore_command, take_backup
from tbyte.state.commands import Pulled, first_error, pull, refuse_failed, require_state, run, verify_plan
from tbyte.state.statefile import StateFile

UPLOAD = "{upload}"  # in a Change's command: the path of a private file holding `upload`


@dataclass
class Change:
    action: str  # the log name and the backup's "before:" (mv, rm, import, push, restore)
    what: str  # "move A to B": for "nothing was changed: run it again with --yes to <what>"
    operation: str  # recorded with the backup
    preview: list[str]  # lines shown before anything changes
    command: list[str]  # terragrunt arguments; UPLOAD stands for the uploaded file
    check: Callable[[StateFile], str | None]  # the new state's problem, or None when it is as asked
    done: str  # the line printed once checked
    upload: str | None = None  # text handed to terraform through a private file (state push)
    verify: list[str] = field(default_factory=list)  # addresses a plan must leave unchanged
    after: Callable[[], None] | None = None  # a further look once done (notes, no failure)
    undo: Callable[[Backup | None], str] | None = None  # the undo command (default: restore of the backup)
    force_undo: bool = False  # the restore must be forced (another lineage)


def not_confirmed(what: str) -> None:
    say(f"[yellow]nothing was changed[/]: run it again with --yes to {what}")


def execute(pulled: Pulled, change: Change, yes: bool) -> Backup | None:
    stack = pulled.stack
    say(f"[bold]preview[/] of {change.action} in {stack}:")
    for line in change.preview:
        say_plain(line)
    if not yes:
        not_confirmed(change.what)
        return None
    backup = take_backup(stack, pulled.state, pulled.version_id, change.operation)
    undo = change.undo(backup) if change.undo else restore_command(stack, backup, change.force_undo)
    result = _run(pulled, change)
    if result.returncode != 0:
        if state_version(stack) != pulled.version_id:
            raise ChangeFailed(f"{change.operation} failed half way: {first_error(result)}; the state changed", undo)
        refuse_failed(stack, result, change.operation)
    after = require_state(pull(stack))
    problem = change.check(after)
    if problem:
        raise ChangeFailed(f"{change.operation}: {problem}", undo)
    say_plain(f"✓ {change.done} (serial {after.serial})")
    if change.verify:
        verify_plan(stack, change.verify, undo, f"the change ({change.what})")
    if change.after:
        change.after()
    say_plain(f"to undo: {undo}")
    return backup


def _run(pulled: Pulled, change: Change):
    if change.upload is None:
        return run(pulled.stack, *change.command, action=change.action)
    upload = backup_dir(pulled.stack) / f".upload-{change.action}.tfstate"
    write_private(upload, change.upload)
    try:
        return run(pulled.stack, *[str(upload) if part == UPLOAD else part for part in change.command],
                   action=change.action)
    finally:
        upload.unlink(missing_ok=True)
