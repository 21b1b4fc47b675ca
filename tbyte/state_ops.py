"""Terraform state operations of one stack, always through Terragrunt (so always against the stack's backend).

Every change (mv, rm, import, push, restore) follows the same steps: refuse bad input before anything changes,
show what would change, change nothing without `yes`, take a backup of the pulled state (named by time, serial
and lineage, with the S3 version id of the state object recorded beside it), make the change, verify it, and
print the exact command that undoes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from botocore.exceptions import ClientError
from rich.markup import escape

from tbyte import paths, plans, terragrunt
from tbyte.console import progress
from tbyte.errors import UserError
from tbyte.preflight import prepare
from tbyte.stacks import Stack, env_settings, stacks
from tbyte.state_store import s3_client, state_key, state_version

# Tests point TBYTE_STATE_BACKUPS_DIR elsewhere so that they never touch a developer's backups.
BACKUPS = Path(os.environ.get("TBYTE_STATE_BACKUPS_DIR", paths.ROOT / ".state-backups"))
BACKUP_SUFFIX = ".tfstate"
META_SUFFIX = ".meta.json"
LOCK_SUFFIX = ".tflock"


def say(message: str) -> None:
    progress.print(message, soft_wrap=True)  # never wrapped: the lines carry commands to copy


class StateOperationFailed(Exception):
    """The state was changed but the result is not what was asked for; the message says how to undo it."""


# --- stacks and states -----------------------------------------------------------------------------------------


def stack_of(env: str, name: str | None) -> Stack:
    """The stack `name` of `env`; an unknown environment or stack is refused."""
    by_name = stacks(env)
    if not name:
        raise UserError(f"--stack is required; the stacks of {env} are: {', '.join(by_name)}; nothing was changed")
    if name not in by_name:
        raise UserError(f"unknown stack {name!r} in {env}; the stacks are: {', '.join(by_name)}; nothing was changed")
    return by_name[name]


def instance_address(resource: dict, instance: dict) -> str:
    module = f"{resource['module']}." if resource.get("module") else ""
    mode = "data." if resource.get("mode") == "data" else ""
    key = instance.get("index_key")
    index = "" if key is None else f"[{json.dumps(key)}]"
    return f"{module}{mode}{resource['type']}.{resource['name']}{index}"


def matches(address: str, candidate: str) -> bool:
    """Whether `address` (a module, a resource or one instance) covers the instance address `candidate`."""
    return candidate == address or candidate.startswith((address + ".", address + "["))


@dataclass
class StateFile:
    """A Terraform state document and its text."""

    text: str
    document: dict
    origin: str = "the state"

    @classmethod
    def parse(cls, text: str, origin: str) -> StateFile:
        """The state in `text`; anything that is not a Terraform (format 4) state is refused."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise UserError(f"{origin} is not a Terraform state (not JSON: {error}); nothing was changed") from None
        problems = []
        if not isinstance(document, dict):
            problems.append("not a JSON object")
        else:
            if document.get("version") != 4:
                problems.append(f"state format version {document.get('version')!r}, expected 4")
            if not isinstance(document.get("lineage"), str) or not document.get("lineage"):
                problems.append("no lineage")
            if not isinstance(document.get("serial"), int) or isinstance(document.get("serial"), bool):
                problems.append("no serial")
            if not isinstance(document.get("resources"), list):
                problems.append("no resources list")
        if problems:
            raise UserError(f"{origin} is not a Terraform state ({', '.join(problems)}); nothing was changed")
        return cls(text, document, origin)

    @property
    def serial(self) -> int:
        return self.document["serial"]

    @property
    def lineage(self) -> str:
        return self.document["lineage"]

    def instances(self) -> dict[str, dict]:
        """Every resource instance by address (data sources included, as `terraform state list` shows them)."""
        found = {}
        for resource in self.document.get("resources", []):
            for instance in resource.get("instances", []):
                found[instance_address(resource, instance)] = instance
        return found

    def covered(self, address: str) -> list[str]:
        return [candidate for candidate in self.instances() if matches(address, candidate)]

    def comparable(self) -> dict:
        """The document without what a push changes by itself.

        Terraform rewrites the serial (it bumps it), the writing Terraform version, and the order of
        `check_results` (it serialises them from a map, in no fixed order); everything else must be equal.
        """
        document = {key: value for key, value in self.document.items() if key not in ("serial", "terraform_version")}
        checks = document.get("check_results")
        if isinstance(checks, list):
            document["check_results"] = sorted(
                ({**check, "objects": sorted(check.get("objects") or [], key=lambda o: json.dumps(o, sort_keys=True))}
                 if isinstance(check, dict) else check for check in checks),
                key=lambda check: json.dumps(check, sort_keys=True))
        return document

    def with_serial(self, serial: int) -> str:
        """The same text with another serial (only the top-level "serial" line changes)."""
        text, count = re.subn(r'^(  "serial": )\d+,$', rf"\g<1>{serial},", self.text, count=1, flags=re.M)
        if count != 1:
            document = dict(self.document, serial=serial)
            text = json.dumps(document, indent=2) + "\n"
        return text


@dataclass
class Pulled:
    """The stack's current state as `terraform state pull` returns it, and the S3 version id it came from."""

    stack: Stack
    state: StateFile | None
    version_id: str | None


# --- running terragrunt ----------------------------------------------------------------------------------------


def run(stack: Stack, *args: str, action: str) -> subprocess.CompletedProcess:
    """`terragrunt <args>` in the stack; an interrupt (Ctrl-C) waits for Terraform instead of killing it.

    Terraform receives the terminal's SIGINT itself and stops gracefully; killing Terragrunt under it (what
    subprocess.run does on KeyboardInterrupt) could leave a half-written state or a stale lock.
    """
    outcome: list = []
    worker = threading.Thread(
        target=lambda: outcome.append(terragrunt.run(stack, *args, log=plans.log_file(stack, f"state-{action}"))),
        daemon=True,
    )
    worker.start()
    interrupted = False
    while worker.is_alive():
        try:
            worker.join(0.2)
        except KeyboardInterrupt:
            if not interrupted:
                say("[yellow]interrupted: waiting for Terraform to stop and release the state lock[/]")
            interrupted = True
    if not outcome:
        raise UserError(f"terragrunt {' '.join(args[:2])} in {stack} did not complete")
    if interrupted:
        raise KeyboardInterrupt
    return outcome[0]


def pull(stack: Stack) -> Pulled:
    """The current state and the S3 version it was read from (read again if the state changed meanwhile)."""
    for _ in range(3):
        before = state_version(stack)
        result = run(stack, "state", "pull", action="pull")
        if result.returncode != 0:
            raise_failed(stack, result, "reading the state")
        after = state_version(stack)
        if before == after:
            text = result.stdout
            state = StateFile.parse(text, f"the state of {stack}") if text.strip() else None
            return Pulled(stack, state, after)
    raise UserError(f"the state of {stack} keeps changing while it is read; is another run applying it? "
                    "nothing was changed")


def first_error(result: subprocess.CompletedProcess) -> str:
    """Terraform's own error line (state commands print `Failed to ...` rather than `Error: ...`)."""
    for line in (result.stderr + "\n" + result.stdout).splitlines():
        text = line.strip().lstrip("│ ").strip()
        if text.startswith(("Error:", "Failed to", "Error ")):
            return text
    return terragrunt.first_error(result)


def raise_failed(stack: Stack, result: subprocess.CompletedProcess, doing: str) -> None:
    """A failed terraform command that changed nothing, as one line (a held lock names its holder)."""
    output = result.stdout + result.stderr
    if "Error acquiring the state lock" in output:
        info = lock_info(stack)
        if info:
            raise UserError(locked_message(stack, info))
        raise UserError(f"{doing} in {stack} failed: the state was locked by another run; try again; "
                        "nothing was changed")
    raise UserError(f"{doing} in {stack} failed: {first_error(result)}; nothing was changed")


# --- locks -----------------------------------------------------------------------------------------------------


def lock_key(stack: Stack) -> str:
    return state_key(stack) + LOCK_SUFFIX


def lock_info(stack: Stack) -> dict | None:
    """The lock Terraform holds on the stack's state (the JSON of the `.tflock` object), or None."""
    s3 = s3_client(stack.env)
    try:
        body = s3.get_object(Bucket=env_settings(stack.env)["state_bucket"], Key=lock_key(stack))["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    try:
        info = json.loads(body)
    except json.JSONDecodeError:
        info = {}
    return info if isinstance(info, dict) else {}


def lock_age(info: dict) -> str:
    created = str(info.get("Created", ""))
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", created)
    if not match:
        return "unknown"
    moment = datetime.fromisoformat(match.group(1) + (match.group(3) or "Z").replace("Z", "+00:00"))
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def describe_lock(info: dict) -> str:
    return (f"held by {info.get('Who', '?')} since {info.get('Created', '?')} ({lock_age(info)} ago) "
            f"for {info.get('Operation', '?')}, lock id {info.get('ID', '?')}")


def unlock_command(stack: Stack, lock_id: str) -> str:
    return f"invoke state.unlock --env {stack.env} --stack {stack.name} --lock-id {lock_id}"


def locked_message(stack: Stack, info: dict) -> str:
    return (f"the state of {stack} is locked ({describe_lock(info)}): wait for that run to finish; if it died, "
            f"release the lock with `{unlock_command(stack, info.get('ID', '?'))}`; nothing was changed")


def ensure_unlocked(stack: Stack) -> None:
    info = lock_info(stack)
    if info is not None:
        raise UserError(locked_message(stack, info))


# --- backups ---------------------------------------------------------------------------------------------------


def backup_dir(stack: Stack) -> Path:
    return BACKUPS / stack.env / stack.name


@dataclass
class Backup:
    path: Path
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + META_SUFFIX)


def take_backup(pulled: Pulled, operation: str) -> Backup | None:
    """Save the pulled state under .state-backups/<env>/<stack>/, named by time, serial and lineage."""
    state = pulled.state
    if state is None:
        say(f"{pulled.stack} has no state yet: there is nothing to back up")
        return None
    directory = backup_dir(pulled.stack)
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    stem = f"{now:%Y%m%dT%H%M%SZ}-serial{state.serial}-{state.lineage}"
    path, attempt = directory / f"{stem}{BACKUP_SUFFIX}", 1
    while path.exists():
        attempt += 1
        path = directory / f"{stem}-{attempt}{BACKUP_SUFFIX}"
    meta = {
        "env": pulled.stack.env, "stack": pulled.stack.name, "taken_at": now.isoformat(timespec="seconds"),
        "operation": operation, "serial": state.serial, "lineage": state.lineage,
        "s3_bucket": env_settings(pulled.stack.env)["state_bucket"], "s3_key": state_key(pulled.stack),
        "s3_version_id": pulled.version_id, "sha256": hashlib.sha256(state.text.encode()).hexdigest(),
        "resources": len(state.instances()),
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(state.text)
    partial.replace(path)
    meta_path(path).write_text(json.dumps(meta, indent=2) + "\n")
    say(f"backup: {escape(str(path))} (serial {state.serial}, S3 version {pulled.version_id})")
    return Backup(path, meta)


def backups(stack: Stack) -> list[Backup]:
    directory = backup_dir(stack)
    found = []
    for path in sorted(directory.glob(f"*{BACKUP_SUFFIX}")) if directory.exists() else []:
        try:
            meta = json.loads(meta_path(path).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            meta = {}
        found.append(Backup(path, meta))
    return found


def find_backup(stack: Stack, reference: str) -> Path:
    """A backup by name (as `invoke state.backups` lists it) or any state file by path."""
    directory = backup_dir(stack)
    candidates = [Path(reference).expanduser(), directory / reference, directory / f"{reference}{BACKUP_SUFFIX}"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise UserError(f"no backup {reference!r} in {directory} and no such file; "
                    f"`invoke state.backups --env {stack.env} --stack {stack.name}` lists the backups; "
                    "nothing was changed")


def read_state_file(path: Path) -> StateFile:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path} cannot be read ({error}); nothing was changed") from None
    return StateFile.parse(text, str(path))


def restore_command(stack: Stack, backup: Backup | None, force: bool = False) -> str:
    if backup is None:
        return "(no backup: the stack had no state before)"
    return (f"invoke state.restore --env {stack.env} --stack {stack.name} --backup {backup.name}"
            f"{' --force' if force else ''} --yes")


# --- verification ----------------------------------------------------------------------------------------------


def plan_changes(stack: Stack) -> plans.PlanSummary:
    """A plan of the stack (nothing saved, so nothing that could be applied by mistake)."""
    result = run(stack, "plan", "-json", "-input=false", "-detailed-exitcode", action="verify-plan")
    summary = plans.parse_json_stream(stack, result.stdout)
    if result.returncode not in (0, 2):
        summary.error = first_error(result)
    return summary


def changes_touching(summary: plans.PlanSummary, addresses: list[str]) -> list[str]:
    return [changed for changed in summary.changed if any(matches(a, changed) or matches(changed, a)
                                                            for a in addresses)]


def verify_plan(stack: Stack, addresses: list[str], undo: str, what: str) -> None:
    """A plan shows no change for `addresses`; other changes are reported, not failed."""
    say(f"verifying: planning {stack}")
    summary = plan_changes(stack)
    if summary.error:
        raise StateOperationFailed(f"{what} was done, but the verifying plan failed: {summary.error}; "
                                   f"to undo: {undo}")
    touching = changes_touching(summary, addresses)
    if touching:
        raise StateOperationFailed(f"{what} was done, but a plan still changes {', '.join(touching)} "
                                   f"(does the code declare it?); to undo: {undo}")
    others = [changed for changed in summary.changed if changed not in touching]
    if others:
        say(f"[yellow]note:[/] the plan also changes {escape(', '.join(others))} (unrelated to {what})")
    say(f"[green]✓[/] verified: a plan shows no change for {escape(', '.join(addresses))}")


def difference(current: StateFile | None, target: StateFile) -> list[str]:
    """What replacing `current` by `target` changes, as preview lines."""
    before = current.instances() if current else {}
    after = target.instances()
    lines = [f"  + {address}" for address in sorted(after.keys() - before.keys())]
    lines += [f"  - {address}" for address in sorted(before.keys() - after.keys())]
    lines += [f"  ~ {address}" for address in sorted(before.keys() & after.keys()) if before[address] != after[address]]
    old_outputs = (current.document.get("outputs", {}) if current else {})
    new_outputs = target.document.get("outputs", {})
    changed = sorted(name for name in old_outputs.keys() | new_outputs.keys()
                     if old_outputs.get(name) != new_outputs.get(name))
    if changed:
        lines.append(f"  outputs changed: {', '.join(changed)}")
    return lines


def say_lines(lines: list[str]) -> None:
    for line in lines:
        say(escape(line))


def not_confirmed(what: str) -> None:
    say(f"[yellow]nothing was changed[/]: run it again with --yes to {what}")


def print_undo(undo: str) -> None:
    say(f"to undo: {escape(undo)}")


# --- read-only operations --------------------------------------------------------------------------------------


def open_stack(env: str, name: str | None) -> Stack:
    stack = stack_of(env, name)
    prepare(env, log=say)
    return stack


def list_addresses(env: str, name: str) -> list[str]:
    stack = open_stack(env, name)
    result = run(stack, "state", "list", action="list")
    if result.returncode != 0:
        raise_failed(stack, result, "listing the state")
    return [line for line in result.stdout.splitlines() if line.strip()]


def require_state(pulled: Pulled) -> StateFile:
    if pulled.state is None:
        raise UserError(f"{pulled.stack} has no state yet (never applied); nothing was changed")
    return pulled.state


def require_address(pulled: Pulled, address: str, argument: str = "--address") -> list[str]:
    covered = require_state(pulled).covered(address)
    if not covered:
        stack = pulled.stack
        raise UserError(f"{argument} {address}: no such resource in the state of {stack} "
                        f"(`invoke state.list --env {stack.env} --stack {stack.name}` lists them); "
                        "nothing was changed")
    return covered


def show(env: str, name: str, address: str) -> str:
    if not address:
        raise UserError("--address is required; nothing was changed")
    stack = open_stack(env, name)
    require_address(pull(stack), address)
    result = run(stack, "state", "show", address, action="show")
    if result.returncode != 0:
        raise_failed(stack, result, "showing the resource")
    return result.stdout


def pull_state(env: str, name: str, output: str | None = None) -> Pulled:
    if output and Path(output).exists():
        raise UserError(f"{output} already exists; choose another --output; nothing was written")
    stack = open_stack(env, name)
    pulled = pull(stack)
    state = require_state(pulled)
    if output:
        Path(output).write_text(state.text)
        say(f"wrote {escape(output)}")
    say(f"{stack}: serial {state.serial}, lineage {state.lineage}, S3 version {pulled.version_id}, "
        f"{len(state.instances())} resource instances")
    return pulled


def list_backups(env: str, name: str) -> list[Backup]:
    return backups(stack_of(env, name))


# --- changes ---------------------------------------------------------------------------------------------------


def start_change(env: str, name: str | None) -> tuple[Stack, Pulled]:
    stack = open_stack(env, name)
    ensure_unlocked(stack)
    return stack, pull(stack)


def changed_since(pulled: Pulled) -> bool:
    return state_version(pulled.stack) != pulled.version_id


def attempt(pulled: Pulled, backup: Backup | None, result: subprocess.CompletedProcess, doing: str,
            force: bool = False) -> None:
    """A failed change: one line, with the undo command when the state did change after all."""
    if result.returncode == 0:
        return
    if changed_since(pulled):
        raise StateOperationFailed(f"{doing} failed half way: {first_error(result)}; "
                                   f"the state changed; to undo: {restore_command(pulled.stack, backup, force)}")
    raise_failed(pulled.stack, result, doing)


def move(env: str, name: str, source: str, destination: str, yes: bool = False) -> Backup | None:
    """`terraform state mv`: the resource keeps its remote object under a new address."""
    if not source or not destination:
        raise UserError("--source and --destination are both required; nothing was changed")
    if source == destination:
        raise UserError(f"--source and --destination are both {source}; nothing was changed")
    stack, pulled = start_change(env, name)
    moving = require_address(pulled, source, "--source")
    existing = [candidate for candidate in pulled.state.covered(destination) if candidate not in moving]
    if existing:
        raise UserError(f"--destination {destination} already exists in the state of {stack} "
                        f"({', '.join(existing)}); remove or move it first; nothing was changed")
    dry = run(stack, "state", "mv", "-dry-run", source, destination, action="mv")
    if dry.returncode != 0:
        raise_failed(stack, dry, f"moving {source} to {destination}")
    say(f"[bold]preview[/] of state mv in {stack}:")
    say_lines([f"  {line}" for line in dry.stdout.splitlines() if line.strip()])
    if not yes:
        not_confirmed(f"move {source} to {destination}")
        return None
    backup = take_backup(pulled, f"mv {source} {destination}")
    undo = restore_command(stack, backup)
    result = run(stack, "state", "mv", source, destination, action="mv")
    attempt(pulled, backup, result, f"moving {source} to {destination}")
    after = require_state(pull(stack))
    if not after.covered(destination) or (not matches(source, destination) and after.covered(source)):
        raise StateOperationFailed(f"state mv reported success but {destination} is not in the state "
                                   f"(or {source} still is); to undo: {undo}")
    say(f"[green]✓[/] moved {escape(source)} to {escape(destination)} (serial {after.serial})")
    verify_plan(stack, [source, destination], undo, f"the move of {source} to {destination}")
    print_undo(undo)
    return backup


def remove(env: str, name: str, address: str, yes: bool = False) -> Backup | None:
    """`terraform state rm`: Terraform forgets the resource; its remote object is left as it is."""
    if not address:
        raise UserError("--address is required; nothing was changed")
    stack, pulled = start_change(env, name)
    covered = require_address(pulled, address)
    say(f"[bold]preview[/] of state rm in {stack} (the remote objects stay; Terraform forgets them):")
    say_lines([f"  - {candidate}  (id {pulled.state.instances()[candidate].get('attributes', {}).get('id', '?')})"
               for candidate in covered])
    if not yes:
        not_confirmed(f"remove {address} from the state")
        return None
    backup = take_backup(pulled, f"rm {address}")
    undo = restore_command(stack, backup)
    result = run(stack, "state", "rm", address, action="rm")
    attempt(pulled, backup, result, f"removing {address}")
    after = require_state(pull(stack))
    if after.covered(address):
        raise StateOperationFailed(f"state rm reported success but {address} is still in the state; to undo: {undo}")
    say(f"[green]✓[/] removed {escape(address)} from the state (serial {after.serial})")
    summary = plan_changes(stack)
    again = changes_touching(summary, [address])
    if summary.error:
        say(f"[yellow]note:[/] the checking plan failed: {escape(summary.error)}")
    elif again:
        say(f"[yellow]note:[/] the code still declares {escape(', '.join(again))}: the next apply would create it "
            "again. Import it back (`invoke state.import ...`) or remove it from the code (a `removed` block).")
    print_undo(undo)
    return backup


def import_resource(env: str, name: str, address: str, resource_id: str, yes: bool = False) -> Backup | None:
    """`terraform import`: an existing remote object becomes the resource at `address`."""
    if not address or not resource_id:
        raise UserError("--address and --id are both required; nothing was changed")
    if re.search(r"\s", address):
        raise UserError(f"--address {address!r} is not a resource address; nothing was changed")
    stack, pulled = start_change(env, name)
    if pulled.state is not None and pulled.state.covered(address):
        held = ", ".join(pulled.state.covered(address))
        raise UserError(f"--address {address} is already in the state of {stack} ({held}); "
                        "nothing to import; nothing was changed")
    say(f"[bold]preview[/] of import in {stack}:")
    say(escape(f"  + {address}  <=  {resource_id}  (the remote object is adopted, not changed)"))
    if not yes:
        not_confirmed(f"import {resource_id} as {address}")
        return None
    backup = take_backup(pulled, f"import {address} {resource_id}")
    undo = (restore_command(stack, backup) if backup else
            f"invoke state.rm --env {stack.env} --stack {stack.name} --address {address} --yes")
    result = run(stack, "import", "-input=false", address, resource_id, action="import")
    attempt(pulled, backup, result, f"importing {resource_id} as {address}")
    after = require_state(pull(stack))
    if not after.covered(address):
        raise StateOperationFailed(f"import reported success but {address} is not in the state; to undo: {undo}")
    say(f"[green]✓[/] imported {escape(resource_id)} as {escape(address)} (serial {after.serial})")
    verify_plan(stack, [address], undo, f"the import of {resource_id} as {address}")
    print_undo(undo)
    return backup


def replace_state(stack: Stack, pulled: Pulled, target: StateFile, force: bool, operation: str,
                  bump_serial: bool) -> Backup | None:
    """Write `target` as the stack's state (through `terraform state push`), then check it arrived."""
    current = pulled.state
    lineage_differs = current is not None and current.lineage != target.lineage
    backup = take_backup(pulled, operation)
    undo = restore_command(stack, backup, force=lineage_differs)
    text = target.text
    if bump_serial and current is not None:
        text = target.with_serial(current.serial + 1)  # above the current serial, so Terraform accepts it
    directory = backup_dir(stack)
    directory.mkdir(parents=True, exist_ok=True)
    upload = directory / f".push-{os.getpid()}{BACKUP_SUFFIX}.partial"
    upload.write_text(text)
    try:
        result = run(stack, "state", "push", *(["-force"] if force else []), str(upload), action="push")
    finally:
        upload.unlink(missing_ok=True)
    attempt(pulled, backup, result, operation, force=lineage_differs)
    after = require_state(pull(stack))
    if after.comparable() != target.comparable():
        raise StateOperationFailed(f"{operation}: the state now in the backend differs from {target.origin}; "
                                   f"to undo: {undo}")
    say(f"[green]✓[/] {escape(operation)}: the state of {stack} now matches {escape(target.origin)} "
        f"(serial {after.serial}, lineage {after.lineage})")
    print_undo(undo)
    return backup


def preview_replacement(stack: Stack, pulled: Pulled, target: StateFile, verb: str) -> bool:
    """Print what replacing the state changes; False when it changes nothing."""
    current = pulled.state
    lines = difference(current, target)
    same = current is not None and current.comparable() == target.comparable()
    if same:
        say(f"{escape(target.origin)} is already the state of {stack} (apart from its serial): nothing to {verb}")
        return False
    say(f"[bold]preview[/] of {verb} into {stack}:")
    if current is None:
        say("  the stack has no state yet")
    else:
        say(f"  serial {current.serial} -> above it; lineage {current.lineage}"
            f"{'' if current.lineage == target.lineage else ' -> ' + target.lineage}")
    say_lines(lines or ["  no resource changes (only the document differs, e.g. its check results)"])
    return True


def push(env: str, name: str, file: str, force: bool = False, yes: bool = False) -> Backup | None:
    """`terraform state push`: replace the stack's state by a state file of the same lineage, not older."""
    if not file:
        raise UserError("--file is required; nothing was changed")
    stack_of(env, name)
    target = read_state_file(Path(file))
    stack, pulled = start_change(env, name)
    current = pulled.state
    if current is not None and not force:
        if current.lineage != target.lineage:
            raise UserError(f"{file} has lineage {target.lineage}, the state of {stack} has {current.lineage}: "
                            "it is another state, not a version of this one; --force pushes it anyway; "
                            "nothing was changed")
        if target.serial == current.serial and target.comparable() != current.comparable():
            raise UserError(f"{file} has the serial of the current state ({current.serial}) but another content: "
                            "Terraform refuses that; raise its serial above the current one, or use "
                            f"`invoke state.restore --env {env} --stack {name} --backup {file}` which does; "
                            "nothing was changed")
        if target.serial < current.serial:
            raise UserError(f"{file} has serial {target.serial}, older than the current {current.serial}: "
                            "pushing it would drop the changes made since; to bring an older state back use "
                            f"`invoke state.restore --env {env} --stack {name} --backup {file}`; nothing was changed")
    if not preview_replacement(stack, pulled, target, "push"):
        return None
    if not yes:
        not_confirmed(f"push {file}")
        return None
    return replace_state(stack, pulled, target, force, f"push of {file}", bump_serial=False)


def restore(env: str, name: str, backup: str, force: bool = False, yes: bool = False) -> Backup | None:
    """Bring a backup (or any state file) back, written with a serial above the current one."""
    if not backup:
        raise UserError("--backup is required (`invoke state.backups` lists them); nothing was changed")
    target = read_state_file(find_backup(stack_of(env, name), backup))
    stack, pulled = start_change(env, name)
    current = pulled.state
    lineage_differs = current is not None and current.lineage != target.lineage
    if lineage_differs and not force:
        raise UserError(f"backup {backup} has lineage {target.lineage}, the state of {stack} has "
                        f"{current.lineage}: it belongs to another state; --force restores it anyway; "
                        "nothing was changed")
    if not preview_replacement(stack, pulled, target, "restore"):
        return None
    if not yes:
        not_confirmed(f"restore {backup}")
        return None
    return replace_state(stack, pulled, target, lineage_differs, f"restore of {Path(target.origin).name}",
                         bump_serial=True)


def unlock(env: str, name: str, lock_id: str) -> dict:
    """Release a lock left by a run that died; the lock id must be the one the lock holds."""
    stack = open_stack(env, name)
    info = lock_info(stack)
    if info is None:
        raise UserError(f"the state of {stack} is not locked; nothing was released")
    say(f"the state of {stack} is locked: {escape(describe_lock(info))}")
    for key in ("Path", "Version", "Info"):
        if info.get(key):
            say(escape(f"  {key}: {info[key]}"))
    if not lock_id:
        raise UserError(f"make sure that run is dead, then release the lock with "
                        f"`{unlock_command(stack, info.get('ID', '?'))}`; nothing was released")
    if info.get("ID") != lock_id:
        raise UserError(f"--lock-id {lock_id} is not the id of the lock on {stack} ({info.get('ID')}); "
                        "nothing was released")
    result = run(stack, "force-unlock", "-force", lock_id, action="unlock")
    if result.returncode != 0:
        raise UserError(f"releasing the lock of {stack} failed: {first_error(result)}")
    if lock_info(stack) is not None:
        raise UserError(f"terraform force-unlock reported success but {stack} is still locked")
    say(f"[green]✓[/] released the lock {escape(lock_id)} of {stack}; plan before applying again: "
        f"`invoke plan --env {env} --stack {name}`")
    return info
