"""State locks (TF005, TF006): a stack's lock whose holder has been gone a long time (or is a dead process of this
machine), and lock objects of the state bucket that belong to no stack at all."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from tbyte.core.environment import Environment
from tbyte.doctor.actions import AwsCall, Invoke
from tbyte.doctor.findings import Finding
from tbyte.infra.backend import owner
from tbyte.infra.graph import Stack
from tbyte.infra.state_locks import LOCK_SUFFIX, describe_lock, lock_info, lock_key

STALE_SECONDS = 2 * 3600  # longer than any apply of the platform (EKS takes under 20 minutes)
TOOLS = (b"terraform", b"terragrunt")


def held_seconds(info: dict, now: datetime | None = None) -> float | None:
    created = str(info.get("Created", ""))[:19]
    try:
        moment = datetime.fromisoformat(created).replace(tzinfo=UTC)
    except ValueError:
        return None
    return ((now or datetime.now(UTC)) - moment).total_seconds()


def terraform_running() -> bool:
    """Whether any terraform or terragrunt process runs on this machine."""
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = entry.read_bytes().split(b"\0")
        except OSError:
            continue
        if int(entry.parent.name) != os.getpid() and any(Path(word.decode(errors="replace")).name.encode() in TOOLS
                                                         for word in words[:2]):
            return True
    return False


def stale_lock(stack: Stack) -> Finding | None:
    info = lock_info(stack)
    if info is None:
        return None
    seconds = held_seconds(info)
    here = str(info.get("Who", "")).rsplit("@", 1)[-1] == socket.gethostname()
    dead = here and not terraform_running()
    if not dead and (seconds is None or seconds < STALE_SECONDS):
        return None
    why = (f"the holder ran on this machine ({socket.gethostname()}) and no terraform runs here now" if dead else
           f"held for more than {STALE_SECONDS // 3600} hours, longer than any run of the platform")
    return Finding("TF005", "warning", f"stack {stack}", "its state is locked by a run that is gone",
                   (describe_lock(info), why),
                   "make sure that run is really over (its CI job, its terminal), then release the lock by its id; "
                   "a plan before the next apply shows what it left half done",
                   (Invoke.of("state.unlock", "--env", stack.env.name, "--stack", stack.name, "--lock-id",
                              str(info.get("ID", "?"))),))


def orphaned_locks(env: Environment, stacks: list[Stack]) -> list[Finding]:
    buckets = {stack.bucket for stack in stacks if stack.bucket}
    known = {(stack.bucket, lock_key(stack)) for stack in stacks}
    found = []
    s3 = env.client("s3")
    for bucket in sorted(buckets):
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{env.name}/", **owner(env))
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"]
                if key.endswith(LOCK_SUFFIX) and (bucket, key) not in known:
                    found.append(Finding(
                        "TF006", "warning", f"lock s3://{bucket}/{key}", "a lock object that belongs to no stack",
                        (f"no stack of {env} keeps its state at {key.removesuffix(LOCK_SUFFIX)} (a stack renamed or "
                         f"removed while locked?); last written {item['LastModified']:%Y-%m-%dT%H:%M:%SZ}",),
                        "no Terraform run can hold it: delete the object",
                        (AwsCall.of("s3", "DeleteObject", Bucket=bucket, Key=key),)))
    return found
