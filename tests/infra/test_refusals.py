"""Bad input is refused before anything runs, with one clear line and no traceback."""

import hashlib
import json

import pytest

from tests.conftest import run_invoke


def invoke(*args, env=None, tmp_plans=None, unset=()):
    plans = {"INVOKE_TBYTE_PLANS_DIR": str(tmp_plans)} if tmp_plans is not None else {}
    return run_invoke(*args, env={**(env or {}), **plans}, unset=unset)


def assert_refused(result, *phrases):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def test_unknown_environment(tmp_path):
    assert_refused(invoke("plan", "--env", "qa", tmp_plans=tmp_path), "unknown environment 'qa'", "local, prod, stage")


def test_unknown_stack(tmp_path):
    assert_refused(invoke("plan", "--env", "local", "--stack", "redis", tmp_plans=tmp_path),
                   "unknown stack 'redis'", "vpc")


def test_apply_without_a_plan(tmp_path):
    assert_refused(invoke("apply", "--env", "local", "--stack", "vpc", tmp_plans=tmp_path),
                   "local/vpc: no saved plan", "nothing was applied")


def test_apply_of_a_plan_made_from_other_code(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "vpc.tfplan").write_bytes(b"plan")
    record = {"fingerprint": {"code": "0" * 64, "state": None, "dependency_outputs": {}},
              "summary": {"add": 1, "change": 0, "destroy": 0}, "plan_sha256": hashlib.sha256(b"plan").hexdigest()}
    (tmp_path / "local" / "vpc.json").write_text(json.dumps(record))
    assert_refused(invoke("apply", "--env", "local", "--stack", "vpc", tmp_plans=tmp_path),
                   "the saved plan is stale (the code changed since it was planned)", "nothing was applied")


@pytest.mark.parametrize("env", ["prod", "stage"])
def test_destroy_of_a_protected_environment_needs_its_name(tmp_path, env):
    assert_refused(invoke("destroy", "--env", env, tmp_plans=tmp_path), f"--confirm {env}", "nothing was destroyed")
    assert_refused(invoke("destroy", "--env", env, "--confirm", "dev", tmp_plans=tmp_path), f"--confirm {env}")


def test_an_aws_environment_without_credentials(tmp_path):
    nowhere = {"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
               "AWS_EC2_METADATA_DISABLED": "true"}
    unset = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
             "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
             "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    result = invoke("plan", "--env", "dev", env=nowhere, unset=unset, tmp_plans=tmp_path)
    assert_refused(result, "environment dev (AWS account 111111111111) needs AWS credentials", "nothing was run")
    assert not any(tmp_path.iterdir())
