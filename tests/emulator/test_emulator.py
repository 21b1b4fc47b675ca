import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tbyte.emulator.manager import Emulator
from tests.conftest import run_invoke


def invoke(*args, port):
    result = run_invoke(*args, env={"INVOKE_TBYTE_EMULATOR_PORT": str(port)})
    result.check_returncode()
    return result


@pytest.fixture
def port(free_port):
    yield free_port
    Emulator(port=free_port).stop()


def test_start_is_idempotent_status_reports_it_and_stop_leaves_no_process(port):
    invoke("emulator.start", port=port)
    first = json.loads(invoke("emulator.status", "--json", port=port).stdout)
    invoke("emulator.start", port=port)
    second = json.loads(invoke("emulator.status", "--json", port=port).stdout)
    assert first == second
    assert first["running"] is True and first["endpoint"] == f"http://127.0.0.1:{port}"
    assert Path(f"/proc/{first['pid']}").exists()
    log = Emulator(port=port).log_file
    assert (log.stat().st_mode & 0o777, log.parent.stat().st_mode & 0o777) == (0o600, 0o700), "its log is private"

    invoke("emulator.stop", port=port)
    after = json.loads(invoke("emulator.status", "--json", port=port).stdout)
    assert after == {"running": False, "endpoint": f"http://127.0.0.1:{port}", "pid": None}
    time.sleep(0.2)
    zombie_or_gone = not Path(f"/proc/{first['pid']}").exists() or \
        Path(f"/proc/{first['pid']}/stat").read_text().split(")")[-1].split()[0] == "Z"
    assert zombie_or_gone


def test_the_emulator_loads_aws_managed_policies_and_is_vpc_only(port):
    emulator = Emulator(port=port)
    emulator.start()
    policy = emulator.client("iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy")
    assert policy["Policy"]["PolicyName"] == "AmazonEKSClusterPolicy"
    attributes = emulator.client("ec2").describe_account_attributes(AttributeNames=["supported-platforms"])
    platforms = [a for a in attributes["AccountAttributes"] if a["AttributeName"] == "supported-platforms"]
    assert [v["AttributeValue"] for v in platforms[0]["AttributeValues"]] == ["VPC"]


def test_stop_never_ends_a_process_it_did_not_start(port, tmp_path):
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        emulator = Emulator(port=port, state_dir=tmp_path)
        tmp_path.mkdir(exist_ok=True)
        emulator.pid_file.write_text(f"{stranger.pid}\n")
        assert emulator.stop() is False
        assert stranger.poll() is None
    finally:
        stranger.kill()
