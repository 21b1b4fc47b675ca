"""One task at a time per environment and plans folder: two `invoke` runs never mix their saved plans.

The lock is an flock on <plans_dir>/<env>/.task.lock, so the kernel releases it when its holder dies (no stale
lock to clean up). The holder writes who it is (pid, task, start time) into the file for the refusal message.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from tbyte.core.errors import Refused
from tbyte.core.files import private_dir

LOCK_NAME = ".task.lock"
_held: dict[Path, int] = {}  # re-entrant within one process: `up` plans and applies under one lock


@contextmanager
def task_lock(directory: Path, env: str, task: str):
    path = private_dir(directory) / LOCK_NAME
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Refused(f"another invoke is working on {env}: {holder(handle)}; wait for it to end "
                          "(or stop it); nothing was changed") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, json.dumps({"pid": os.getpid(), "task": task, "started": time.strftime(
            "%Y-%m-%dT%H:%M:%S%z")}).encode(), 0)
        _held[path] = 1
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(handle, 0)
    finally:
        os.close(handle)  # closing releases the flock


def holder(handle: int) -> str:
    try:
        info = json.loads(os.pread(handle, 4096, 0) or b"{}")
    except json.JSONDecodeError:
        info = {}
    if not info:
        return "a task that is starting"
    return f"`invoke {info.get('task', '?')}` (pid {info.get('pid', '?')}, since {info.get('started', '?')})"
