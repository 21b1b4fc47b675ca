"""Child processes of a task (terragrunt, terraform, helm) and what SIGINT and SIGTERM do to them.

Every child runs in its own process group, with a private umask (what it writes is 0600), and is known to
this module while it runs. On the task's first SIGINT or SIGTERM, each running child's group gets one SIGINT:
Terraform then stops gracefully and releases its state lock (the shim cancels only once). The task waits for
its children to end, starts no new one, and ends with Interrupted. No child is left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from tbyte.core.errors import Interrupted

_running: set[subprocess.Popen] = set()
_guard = threading.Lock()
_signal: list[int] = []


def interrupted() -> bool:
    return bool(_signal)


def _forward(signum, frame) -> None:
    first = not _signal
    _signal.append(signum)
    if first:
        with _guard:
            children = list(_running)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGINT)


def install_signal_handlers() -> None:
    """SIGINT and SIGTERM of this process cancel its children once (only from the main thread)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _forward)
        signal.signal(signal.SIGTERM, _forward)


def check_interrupted(what: str = "the task") -> None:
    if _signal:
        name = signal.Signals(_signal[0]).name
        raise Interrupted(f"interrupted ({name}): {what} stopped after its running Terraform ended; "
                          "a state lock it held was released by Terraform (check with `invoke state.unlock`)")


def run(command: list[str], *, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None,
        private: bool = True) -> subprocess.CompletedProcess:
    """Run a child to its end, output captured; refused to start once the task was interrupted."""
    check_interrupted()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, text=True, start_new_session=True, umask=0o077 if private else -1,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    with _guard:
        _running.add(child)
    try:
        if _signal:  # a signal arrived between the check and the registration
            os.killpg(child.pid, signal.SIGINT)
        stdout, stderr = child.communicate(stdin)
    finally:
        with _guard:
            _running.discard(child)
        end_session(child.pid)
    check_interrupted()
    return subprocess.CompletedProcess(command, child.returncode, stdout, stderr)


def session_members(session: int) -> list[int]:
    """The processes of a session (a child started with start_new_session leads its own): every descendant that
    did not start a session of its own, whatever process group it moved to (Terragrunt gives Terraform its own)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[3]) == session and fields[0] != "Z":  # after "pid (comm)": state, ppid, pgrp, session
            members.append(int(stat.parent.name))
    return members


def end_session(session: int, grace: float = 3.0) -> None:
    """What is left of a finished child's session (a provider plugin still shutting down after a cancelled
    Terraform): given `grace` seconds to end by itself, then SIGTERM, then SIGKILL."""
    wait = grace
    for stop in (signal.SIGTERM, signal.SIGKILL, None):
        deadline = time.monotonic() + wait
        while session_members(session):
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        else:
            return
        for pid in session_members(session) if stop else ():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, stop)
        wait = 2.0


def stream(command: list[str], *, cwd: Path | None = None, env: dict | None = None) -> int:
    """Run a child whose output goes straight to the terminal (helm --wait); its exit code."""
    check_interrupted()
    child = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True, stdin=subprocess.DEVNULL)
    with _guard:
        _running.add(child)
    try:
        code = child.wait()
    finally:
        with _guard:
            _running.discard(child)
        end_session(child.pid)
    check_interrupted()
    return code
