"""What every task relies on: private atomic files, the per-environment task lock, plan/record pairing, the
clean environment of real plans, one line for AWS errors."""

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import invoke
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.files import private_dir, write_private
from tbyte.core.settings import Settings
from tbyte.core.task import task
from tbyte.infra import terragrunt
from tests.conftest import run_invoke


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_files_are_0600_in_0700_folders_and_replace_atomically(tmp_path):
    target = tmp_path / "a" / "b" / "state.json"
    write_private(target, "first")
    assert target.read_text() == "first" and mode(target) == 0o600
    assert mode(target.parent) == 0o700 and mode(target.parent.parent) == 0o700
    write_private(target, b"second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"], "no temporary file is left behind"
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    private_dir(loose)
    assert mode(loose) == 0o700


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tbyte.core.tasklock import task_lock
    with task_lock(Path(sys.argv[1]) / "local", "local", "apply"):
        print("held", flush=True)
        time.sleep(60)
""")


def test_a_second_run_on_the_same_environment_is_refused_naming_the_holder(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=paths.ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run_invoke("plan", "--env", "local", env={"INVOKE_TBYTE_PLANS_DIR": str(tmp_path)})
        assert result.returncode == 1, result.stdout + result.stderr
        assert "error: another invoke is working on local: `invoke apply` (pid " in result.stderr
        assert f"(pid {holder.pid}, since " in result.stderr and "nothing was changed" in result.stderr
        assert sorted(p.name for p in (tmp_path / "local").iterdir()) == [".task.lock"], "no plan was made"
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the lock with its dead holder: the next run takes it (and is refused for another
    # reason, the missing plan).
    after = run_invoke("apply", "--env", "local", "--stack", "vpc", env={"INVOKE_TBYTE_PLANS_DIR": str(tmp_path)})
    assert "local/vpc: no saved plan" in after.stderr


def test_a_plan_is_never_applied_with_the_record_of_another_run(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "vpc.tfplan").write_bytes(b"the plan of another run")
    record = {"fingerprint": {"code": "0", "state": None, "dependency_outputs": {}}, "summary": {"add": 1},
              "plan_sha256": "0" * 64}
    (tmp_path / "local" / "vpc.json").write_text(json.dumps(record))
    result = run_invoke("apply", "--env", "local", "--stack", "vpc", env={"INVOKE_TBYTE_PLANS_DIR": str(tmp_path)})
    assert result.returncode == 1 and "local/vpc: no saved plan" in result.stderr


def test_variables_that_change_what_a_plan_means_never_reach_terragrunt(monkeypatch, capsys):
    for name, value in {"TF_CLI_ARGS": "-refresh=false", "TF_CLI_ARGS_plan": "-target=aws_vpc.this",
                        "TF_WORKSPACE": "other", "TF_VAR_environment": "prod", "TG_TF_PATH": "/usr/bin/false",
                        "TBYTE_RENDER_WITH_MOCKS": "true", "TG_LOG_LEVEL": "error"}.items():
        monkeypatch.setenv(name, value)
    variables = terragrunt.environment(Environment.resolve("local"))
    for name in ("TF_CLI_ARGS", "TF_CLI_ARGS_plan", "TF_WORKSPACE", "TF_VAR_environment", "TBYTE_RENDER_WITH_MOCKS"):
        assert name not in variables, name
    printed = capsys.readouterr().err
    for name in ("TF_CLI_ARGS_plan", "TF_WORKSPACE", "TF_VAR_environment", "TG_TF_PATH", "TBYTE_RENDER_WITH_MOCKS"):
        assert f"ignoring {name} (set in your shell)" in printed, printed
    assert variables["TG_TF_PATH"] == str(paths.BIN / "terraform"), "the repository's terraform, not the shell's"
    assert variables["TG_LOG_LEVEL"] == "error", "the log level changes nothing a plan means: kept"


@pytest.mark.parametrize("env, shell, expected", [("local", None, "400"), ("local", "150", "150"), ("prod", None, None),
                                                  ("prod", "150", "150")])
def test_go_collects_garbage_less_often_with_the_offline_provider_unless_the_shell_chose(monkeypatch, env, shell,
                                                                                          expected):
    if shell is None:
        monkeypatch.delenv("GOGC", raising=False)
    else:
        monkeypatch.setenv("GOGC", shell)
    assert terragrunt.environment(Environment.resolve(env)).get("GOGC") == expected


@pytest.mark.parametrize("env, shell, expected", [("local", None, "1"), ("local", "0", "0"), ("local", "yes", "1"),
                                                  ("prod", None, "0"), ("prod", "1", "0")])
def test_the_offline_provider_is_started_once_per_command_unless_the_shell_said_no(monkeypatch, env, shell, expected):
    if shell is None:
        monkeypatch.delenv("TBYTE_PROVIDER_ONCE", raising=False)
    else:
        monkeypatch.setenv("TBYTE_PROVIDER_ONCE", shell)
    assert terragrunt.environment(Environment.resolve(env)).get("TBYTE_PROVIDER_ONCE") == expected


def test_each_dropped_variable_is_named_once(monkeypatch, capsys):
    monkeypatch.setenv("TF_CLI_ARGS_apply", "-auto-approve")
    env = Environment.resolve("local")
    terragrunt.environment(env)
    terragrunt.environment(env)
    err = capsys.readouterr().err
    assert err.count("ignoring TF_CLI_ARGS_apply (set in your shell): it would change what a plan or apply") == 1


@pytest.mark.parametrize(("error", "line"), [
    (ClientError({"Error": {"Code": "AccessDenied", "Message": "User: x is not authorized"}}, "GetObject"),
     "error: AWS refused GetObject: AccessDenied: User: x is not authorized"),
    (ClientError({"Error": {"Code": "ExpiredToken", "Message": "The security token included in the request is "
                                                             "expired"}}, "AssumeRole"),
     "error: AWS refused AssumeRole: ExpiredToken: The security token included in the request is expired"),
    (ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "HeadObject"),
     "error: AWS refused HeadObject: Throttling: Rate exceeded"),
    (EndpointConnectionError(endpoint_url="https://s3.eu-central-1.amazonaws.com"),
     "error: AWS could not be reached or used: Could not connect to the endpoint URL"),
])
def test_an_aws_error_ends_a_task_in_one_line(error, line):
    @task
    def failing(c):
        raise error

    with pytest.raises(invoke.Exit) as ended:
        failing(invoke.Context())
    assert ended.value.code == 1
    assert str(ended.value.message).startswith(line)
    assert "\n" not in str(ended.value.message)


def test_settings_come_from_invoke_configuration():
    settings = Settings.from_config({"emulator_port": "4700", "backup_keep": 3, "assume_role": "false"})
    assert (settings.emulator_port, settings.backup_keep, settings.assume_role) == (4700, 3, False)
    assert settings.plans_dir == paths.ROOT / ".plans"


def test_sigterm_cancels_the_running_child_once_and_ends_the_task(tmp_path):
    """A task's SIGTERM reaches its child as one SIGINT, waits for it, and ends with exit code 130."""
    script = textwrap.dedent(f"""
        import sys
        from tbyte.core import process
        from tbyte.core.errors import Interrupted
        process.install_signal_handlers()
        try:
            process.run([sys.executable, "-c", {CHILD!r}, {str(tmp_path)!r}])
        except Interrupted as error:
            print(error, flush=True)
            sys.exit(130)
    """)
    task_process = subprocess.Popen([sys.executable, "-c", script], cwd=paths.ROOT, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not (tmp_path / "child.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int((tmp_path / "child.pid").read_text())
    task_process.send_signal(15)  # SIGTERM to the task only, as a CI runner or `kill` sends it
    out, _ = task_process.communicate(timeout=20)
    assert task_process.returncode == 130
    assert "interrupted (SIGTERM)" in out
    assert (tmp_path / "signals").read_text() == "SIGINT\n", "the child was asked to stop gracefully, once"
    assert not os.path.exists(f"/proc/{child}") or Path(f"/proc/{child}/stat").read_text().split(")")[-1].split()[0] == "Z"


CHILD = """
import os, signal, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
def stop(signum, frame):
    with open(folder / "signals", "a") as log:
        log.write(signal.Signals(signum).name + "\\n")
    time.sleep(0.5)  # Terraform releasing its lock
    sys.exit(1)
signal.signal(signal.SIGINT, stop)
(folder / "child.pid").write_text(str(os.getpid()))
time.sleep(60)
"""
