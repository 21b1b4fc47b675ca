"""The doctor's tasks: every argument has a help string, and bad input is refused with one `error:` line (exit 1)
before anything runs (no platform is needed to be refused)."""

import pytest

from tbyte.doctor import tasks
from tests.conftest import run_invoke

TASKS = [tasks.k8s, tasks.aws, tasks.terraform, tasks.latency, tasks.diagnose, tasks.drill]


@pytest.mark.parametrize("doctor_task", TASKS, ids=lambda t: t.name)
def test_every_argument_has_a_help_string(doctor_task):
    missing = [argument.name for argument in doctor_task.get_arguments() if not (argument.help or "").strip()]
    assert missing == []


@pytest.mark.parametrize(("args", "says"), [
    (["doctor", "k8s", "--env", "nope"], "unknown environment 'nope'"),
    (["doctor", "bogus", "--env", "local"], "unknown check 'bogus'"),
    (["doctor", "aws", "--env", "local", "--stack", "vpc"], "--stack belongs to `doctor terraform`"),
    (["doctor.k8s", "--env", "local", "--namespace", "Bad_NS"], "is not a namespace name"),
    (["doctor.latency", "--env", "local", "--service", "nope"], "unknown service 'nope'"),
    (["doctor.latency", "--env", "local", "--service", "frontend", "--minutes", "abc"], "--minutes must be"),
    (["doctor.drill", "--scenario", "nope"], "unknown drill 'nope'"),
    (["doctor.drill", "--scenario", "crash-loop", "--env", "prod"], "run only against local"),
])
def test_bad_input_is_one_error_line(args, says):
    result = run_invoke(*args, env={"INVOKE_TBYTE_EMULATOR_PORT": "1024", "INVOKE_TBYTE_KUBE_PORT": "1025"})
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 1, lines
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
