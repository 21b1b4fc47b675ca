"""The state lock under concurrent, killed and interrupted applies of the local vpc stack in the emulator.

Each test adds a few S3 gateway endpoints to the vpc module of the private repository copy (the emulator takes
about 5 s per endpoint), each depending on the one before, so that the apply holds the state lock long enough
to be raced, killed or interrupted half way. The vpc stack itself is applied once
for the whole module; every test ends with the stack converged (a second plan shows no change) and needs
nothing from another test.
"""

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("state-locks")]

VPC = ("--env", "local", "--stack", "vpc")


def add_endpoints(repo, name: str, count: int) -> None:
    """`count` endpoints created one after the other: <name>_0, then <name>_1 (depends_on the first)..."""
    blocks = []
    for index in range(count):
        after = f"\n  depends_on        = [aws_vpc_endpoint.{name}_{index - 1}]" if index else ""
        blocks.append(f'''
resource "aws_vpc_endpoint" "{name}_{index}" {{
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.eu-central-1.s3"
  vpc_endpoint_type = "Gateway"{after}
}}
''')
    (repo.root / "modules" / "vpc" / f"test_{name}.tf").write_text("".join(blocks))


def plan(repo, plans_dir=None):
    repo.invoke("plan", *VPC, env={"INVOKE_TBYTE_PLANS_DIR": str(plans_dir)} if plans_dir else None)


def converge(repo):
    """A plan and an apply, then a second plan that must show no change."""
    plan(repo)
    repo.invoke("apply", *VPC)
    replan = repo.invoke("plan", *VPC, "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr


def wait_gone(pgid: int, timeout: float = 30) -> None:
    """Until no process of the group is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"processes of group {pgid} are still running")


def test_a_second_apply_at_the_same_time_fails_on_the_lock_and_the_state_stays_intact(applied, tmp_path):
    repo = applied
    add_endpoints(repo, "concurrent", 2)
    plan(repo, tmp_path / "first")
    plan(repo, tmp_path / "second")  # the same state: both plans are valid until one of them is applied
    recorded = repo.addresses()

    first = repo.start("apply", *VPC, env={"INVOKE_TBYTE_PLANS_DIR": str(tmp_path / "first")})
    lock = repo.wait_for_lock(first)
    # Frozen while it holds the lock, so that the second apply certainly runs during the first, however slow
    # the machine; it goes on where it stopped afterwards.
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        second = repo.invoke("apply", *VPC, env={"INVOKE_TBYTE_PLANS_DIR": str(tmp_path / "second")}, check=False)
        assert repo.lock() == lock
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    assert "the state of local/vpc is locked (held by" in second.stderr, second.stderr
    assert f"invoke state.unlock --env local --stack vpc --lock-id {lock['ID']}" in second.stderr
    assert "nothing was changed" in second.stderr
    assert "Traceback" not in second.stderr

    out, err = first.communicate(timeout=180)
    assert first.returncode == 0, out + err
    assert repo.lock() is None, f"the first apply released its lock {lock['ID']}"
    final = repo.addresses()
    assert {address: final.get(address) for address in recorded} == recorded
    assert {"aws_vpc_endpoint.concurrent_0", "aws_vpc_endpoint.concurrent_1"} <= final.keys()
    converge(repo)


def test_an_apply_killed_half_way_leaves_its_lock_which_unlock_releases(applied):
    repo = applied
    add_endpoints(repo, "killed", 3)
    plan(repo)
    recorded = repo.addresses()
    before = repo.checksum()

    run = repo.start("apply", *VPC)
    lock = repo.wait_for_lock(run)
    time.sleep(2)  # the first endpoint is being created
    crash(repo, run)

    assert repo.lock() == lock, "a killed run cannot release its lock"
    assert repo.checksum() == before, "nothing was persisted half way"
    blocked = repo.invoke("state.rm", *VPC, "--address", "aws_vpc_endpoint.s3", "--yes", check=False)
    assert blocked.returncode == 1
    assert f"release the lock with `invoke state.unlock --env local --stack vpc --lock-id {lock['ID']}`" \
        in blocked.stderr

    wrong = repo.invoke("state.unlock", *VPC, "--lock-id", "not-" + lock["ID"], check=False)
    assert wrong.returncode == 1 and "nothing was released" in wrong.stderr
    assert f"held by {lock['Who']} since {lock['Created']}" in wrong.stderr
    assert repo.lock() == lock and repo.checksum() == before

    released = repo.invoke("state.unlock", *VPC, "--lock-id", lock["ID"])
    assert f"released the lock {lock['ID']}" in released.stderr
    assert repo.lock() is None and repo.checksum() == before

    converge(repo)
    final = repo.addresses()
    assert {address: final.get(address) for address in recorded} == recorded, "nothing recorded was lost"
    assert {f"aws_vpc_endpoint.killed_{i}" for i in range(3)} <= final.keys()


def processes_of(repo) -> dict[int, str]:
    """Command lines by pid of the processes that run in the repository copy (terragrunt, terraform, providers),
    its emulator (a service that stays up by design) aside."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(proc / "cwd").resolve().is_relative_to(repo.root):
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return {pid: command for pid, command in found.items() if "tbyte.emulator.server" not in command}


def crash(repo, run) -> None:
    """What a crashed CI runner does: every process of the run dies at once (Terragrunt runs in a session of its
    own, which a SIGKILL of the task alone would leave applying, and holding its provider, in the next test)."""
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    wait_gone(run.pid)
    deadline = time.monotonic() + 30
    while (left := processes_of(repo)) and time.monotonic() < deadline:
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
    assert not processes_of(repo)


def interrupt_group(run) -> None:
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground process group


def terminate_invoke(run) -> None:
    run.send_signal(signal.SIGTERM)  # what a CI runner does when a job is cancelled: the invoke process only


@pytest.mark.parametrize(("name", "stop", "said"), [("interrupted", interrupt_group, "interrupted (SIGINT)"),
                                                    ("terminated", terminate_invoke, "interrupted (SIGTERM)")])
def test_a_stopped_apply_stops_terraform_gracefully_releases_its_lock_and_leaves_no_process(applied, name, stop,
                                                                                            said):
    repo = applied
    add_endpoints(repo, name, 3)
    plan(repo)
    recorded = repo.addresses()
    assert processes_of(repo) == {}, "nothing runs before the apply"

    run = repo.start("apply", *VPC)
    repo.wait_for_lock(run)
    time.sleep(2)
    stopped_at = time.monotonic()
    stop(run)
    out, err = run.communicate(timeout=120)
    stopped_after = time.monotonic() - stopped_at
    wait_gone(run.pid)
    assert run.returncode == 130, out + err
    assert said in err and "Traceback" not in err
    assert repo.lock() is None, "Terraform was cancelled and released its own lock"
    assert processes_of(repo) == {}, "no terragrunt, terraform or provider process is left"
    created = [address for address in repo.addresses() if address.startswith(f"aws_vpc_endpoint.{name}")]
    assert len(created) < 3, f"the apply stopped before its end ({stopped_after:.1f}s after the signal)"
    assert {address: repo.addresses().get(address) for address in recorded} == recorded

    converge(repo)
    final = repo.addresses()
    assert {address: final.get(address) for address in recorded} == recorded
    assert {f"aws_vpc_endpoint.{name}_{i}" for i in range(3)} <= final.keys()
