"""State backups under <backups_dir>/<env>/<stack>/: taken before every change, named by time, serial and lineage.

Each backup is private (0600 in a 0700 folder), written atomically, with its metadata beside it (S3 version id,
SHA-256, the operation it came before). Retention: after each new backup only the newest `backup_keep`
(setting, default 20) of the stack are kept; older ones are deleted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tbyte.core.console import say_plain
from tbyte.core.errors import Refused
from tbyte.core.files import read_bounded, write_private
from tbyte.infra.graph import Stack
from tbyte.state.statefile import StateFile

BACKUP_SUFFIX = ".tfstate"
META_SUFFIX = ".meta.json"
MAX_STATE_BYTES = 64 * 1024 * 1024


@dataclass
class Backup:
    path: Path
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


def backup_dir(stack: Stack) -> Path:
    return stack.env.backups_dir / stack.name


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + META_SUFFIX)


def take_backup(stack: Stack, state: StateFile | None, version_id: str | None, operation: str) -> Backup | None:
    """Save the pulled state, named by time, serial and lineage; then prune beyond the retention."""
    if state is None:
        say_plain(f"{stack} has no state yet: there is nothing to back up")
        return None
    directory = backup_dir(stack)
    now = datetime.now(UTC)
    stem = f"{now:%Y%m%dT%H%M%SZ}-serial{state.serial}-{state.lineage}"
    path, attempt = directory / f"{stem}{BACKUP_SUFFIX}", 1
    while path.exists():
        attempt += 1
        path = directory / f"{stem}-{attempt}{BACKUP_SUFFIX}"
    meta = {
        "env": stack.env.name, "stack": stack.name, "taken_at": now.isoformat(timespec="seconds"),
        "operation": operation, "serial": state.serial, "lineage": state.lineage,
        "s3_bucket": stack.bucket, "s3_key": stack.key,
        "s3_version_id": version_id, "sha256": hashlib.sha256(state.text.encode()).hexdigest(),
        "resources": len(state.instances()),
    }
    write_private(path, state.text)
    write_private(meta_path(path), json.dumps(meta, indent=2) + "\n")
    say_plain(f"backup: {path} (serial {state.serial}, S3 version {version_id})")
    prune(stack, keep=stack.env.settings.backup_keep, protect=path)
    return Backup(path, meta)


def backups(stack: Stack) -> list[Backup]:
    """The stack's backups, oldest first."""
    directory = backup_dir(stack)
    found = []
    for path in sorted(directory.glob(f"*{BACKUP_SUFFIX}")) if directory.exists() else []:
        try:
            meta = json.loads(meta_path(path).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            meta = {}
        found.append(Backup(path, meta))
    return found


def prune(stack: Stack, keep: int, protect: Path) -> list[Path]:
    """Delete all but the newest `keep` backups of the stack (never `protect`); the deleted paths."""
    deleted = []
    for backup in backups(stack)[:-keep]:
        if backup.path != protect:
            backup.path.unlink(missing_ok=True)
            meta_path(backup.path).unlink(missing_ok=True)
            deleted.append(backup.path)
    if deleted:
        say_plain(f"retention: deleted {len(deleted)} backup(s) of {stack} older than the newest {keep}")
    return deleted


def find_backup(stack: Stack, reference: str) -> Path:
    """A backup by name (as `invoke state.backups` lists it) or any state file by path."""
    directory = backup_dir(stack)
    candidates = [Path(reference).expanduser()]
    if "/" not in reference and reference not in (".", ".."):  # a name never walks out of the backup folder
        candidates += [directory / reference, directory / f"{reference}{BACKUP_SUFFIX}"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise Refused(f"--backup: no backup {reference!r} in {directory} and no such file; "
                  f"`invoke state.backups --env {stack.env} --stack {stack.name}` lists the backups; "
                  "nothing was changed")


def read_state_file(path: Path, argument: str) -> StateFile:
    data = read_bounded(path, argument, MAX_STATE_BYTES)
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise Refused(f"{argument} {path} is not a Terraform state (not UTF-8 text); nothing was changed") from None
    return StateFile.parse(text, str(path))


def restore_command(stack: Stack, backup: Backup | None, force: bool = False) -> str:
    if backup is None:
        return "(no backup: the stack had no state before)"
    return (f"invoke state.restore --env {stack.env} --stack {stack.name} --backup {backup.name}"
            f"{' --force' if force else ''} --yes")
