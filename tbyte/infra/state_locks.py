"""Terraform's lock on a stack's state (the `.tflock` object beside it in S3): who holds it, since when."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from tbyte.core.errors import Refused
from tbyte.infra.backend import get_object
from tbyte.infra.graph import Stack

LOCK_SUFFIX = ".tflock"


def lock_key(stack: Stack) -> str:
    return stack.key + LOCK_SUFFIX


def lock_info(stack: Stack) -> dict | None:
    """The lock Terraform holds on the stack's state (the JSON of the `.tflock` object), or None."""
    body = get_object(stack, lock_key(stack))
    if body is None:
        return None
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


def refuse_if_locked(stack: Stack) -> None:
    info = lock_info(stack)
    if info is not None:
        raise Refused(locked_message(stack, info))


def refuse_lock_error(stack: Stack, output: str) -> None:
    """When Terraform failed on the state lock, the refusal that names the holder."""
    if "Error acquiring the state lock" in output:
        info = lock_info(stack)
        raise Refused(locked_message(stack, info) if info else
                      f"the state of {stack} was locked by another run; try again; nothing was changed")
