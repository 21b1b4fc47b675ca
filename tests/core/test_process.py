"""tbyte.core.process leaves no process behind: what a finished child left in its session is ended, even in a
process group of its own (Terragrunt starts Terraform in one; Terraform's provider plugins live on after it)."""

from __future__ import annotations

import sys

from tbyte.core import process

# A child that leaves a grandchild behind in a new process group of the same session and prints its pid once
# the grandchild is ready (it wrote the file); the grandchild ignores SIGTERM when told to (a plugin stuck
# shutting down). The grandchild holds none of the child's pipes, as a provider plugin holds none of Terraform's.
LEAVES_A_GRANDCHILD = """
import os, subprocess, sys, time
ready, stubborn = sys.argv[1], sys.argv[2] == "stubborn"
code = ("import signal, sys, time\\n"
        + ("signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n" if stubborn else "")
        + "open(sys.argv[1], 'w').close()\\ntime.sleep(60)")
grandchild = subprocess.Popen([sys.executable, "-c", code, ready], process_group=0, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while not os.path.exists(ready):
    time.sleep(0.02)
print(grandchild.pid)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def leave_a_grandchild(tmp_path, how: str) -> int:
    result = process.run([sys.executable, "-c", LEAVES_A_GRANDCHILD, str(tmp_path / "ready"), how])
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_a_grandchild_in_its_own_process_group_does_not_outlive_the_run(tmp_path):
    grandchild = leave_a_grandchild(tmp_path, "polite")
    assert not alive(grandchild), "the grandchild was ended with its session (it sleeps a minute otherwise)"


def test_one_that_ignores_sigterm_is_killed(tmp_path):
    grandchild = leave_a_grandchild(tmp_path, "stubborn")
    assert not alive(grandchild)
