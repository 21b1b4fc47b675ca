"""Malformed commands, as a careless user types them, across every task: one `error:` line naming the argument,
exit code 1, no traceback, and nothing created or changed (no saved plan, no backup, no report)."""

import pytest

from tests.conftest import run_invoke

VPC = ("--env", "local", "--stack", "vpc")
CASES = [
    (("plan", "--env", "../prod"), "--env: unknown environment '../prod'"),
    (("plan", "--env", "-h"), "--env: unknown environment '-h'"),
    (("plan", "--env", ""), "--env: unknown environment ''"),
    (("plan", "--env", "local", "--stack", "../vpc"), "--stack: unknown stack '../vpc'"),
    (("apply", "--env", "PROD"), "--env: unknown environment 'PROD'"),
    (("destroy", "--env", "local", "--stack", "vpc/../eks"), "--stack: unknown stack 'vpc/../eks'"),
    (("output", "--env", "qa"), "--env: unknown environment 'qa'"),
    (("drift", "--env", "local", "--stack", "redis"), "--stack: unknown stack 'redis'"),
    (("scan", "--env", "nowhere"), "--env: unknown environment 'nowhere'"),
    (("scan", "--path", "/nonexistent/dir"), "--path /nonexistent/dir: no such directory"),
    (("emulator.start", "--port", "abc"), "--port must be a whole number from 1024 to 65535, not 'abc'"),
    (("emulator.status", "--port", "99999"), "--port must be a whole number from 1024 to 65535, not '99999'"),
    (("emulator.stop", "--port", "-1"), "--port must be a whole number from 1024 to 65535, not '-1'"),
    (("helm.template", "--env", "../../etc"), "--env: unknown environment '../../etc'"),
    (("helm.template", "--env", "local", "--release", "../api"), "--release: unknown release '../api'"),
    (("helm.deploy", "--env", "local", "--release", "api", "--image-tag", "-rm"), "--image-tag '-rm' is not an image tag"),
    (("helm.deploy", "--env", "local", "--release", "api", "--image-digest", "sha256:xyz"),
     "--image-digest 'sha256:xyz' is not a digest"),
    (("helm.rollback", "--env", "local", "--release", "api", "--revision", "two"),
     "--revision must be a whole number from 1 to 1000000, not 'two'"),
    (("helm.rollback", "--env", "local", "--release", "api", "--revision", "0"),
     "--revision must be a whole number from 1 to 1000000, not '0'"),
    (("helm.status", "--env", "staging"), "--env: unknown environment 'staging'"),
    (("helm.lint", "--outputs-file", "/etc/passwd"), "--outputs-file needs --env"),
    (("helm.template", "--env", "local", "--outputs-file", "/dev/zero"), "--outputs-file /dev/zero: not a regular file"),
    (("helm.template", "--env", "local", "--outputs-file", "/no/such.json"), "--outputs-file /no/such.json: No such file"),
    (("state.list", "--env", "local", "--stack", ""), "--stack is required"),
    (("state.show", *VPC, "--address", "-lock=false"), "--address '-lock=false' is not a Terraform address"),
    (("state.show", *VPC, "--address", "aws_vpc.this; rm -rf /"), "is not a Terraform address"),
    (("state.rm", *VPC, "--address", "--help", "--yes"), "--address '--help' is not a Terraform address"),
    (("state.mv", *VPC, "--source", "aws_vpc.this", "--destination", "-state=x"),
     "--destination '-state=x' is not a Terraform address"),
    (("state.import", *VPC, "--address", "aws_vpc.this", "--id", "-allow-missing-config"),
     "--id '-allow-missing-config' is not an import id"),
    (("state.import", *VPC, "--address", "aws_vpc.this", "--id", "vpc-1 vpc-2"), "--id 'vpc-1 vpc-2' is not an import id"),
    (("state.push", *VPC, "--file", "/dev/zero", "--yes"), "--file /dev/zero: not a regular file"),
    (("state.push", *VPC, "--file", "/no/such/state", "--yes"), "--file /no/such/state: No such file"),
    (("state.restore", *VPC, "--backup", "../../../etc/passwd", "--yes"), "is not a Terraform state (not JSON"),
    (("state.restore", *VPC, "--backup", "20990101T000000Z-none", "--yes"), "--backup: no backup '20990101T000000Z-none'"),
    (("state.unlock", *VPC, "--lock-id", "-force"), "--lock-id '-force' is not a lock id"),
    (("state.pull", *VPC, "--output", "/no/such/dir/state.json"), "the folder /no/such/dir does not exist"),
    (("rollout.status", "--env", "local", "--release", "billing"), "--release: unknown release 'billing'"),
    (("rollout.signal", "--release", "api", "--version", "2.0", "--success-rate", "lots"),
     "--success-rate must be a number, not 'lots'"),
    (("rollout.signal", "--release", "api", "--version", "../x"), "--version '../x' is not an image tag"),
]


@pytest.mark.parametrize(("command", "message"), CASES, ids=[" ".join(c[:3]) for c, _ in CASES])
def test_a_malformed_command_is_refused_in_one_line_and_changes_nothing(command, message, tmp_path):
    settings = {f"INVOKE_TBYTE_{name}": str(tmp_path / name.lower()) for name in ("PLANS_DIR", "BACKUPS_DIR",
                                                                                 "REPORTS_DIR")}
    result = run_invoke(*command, env=settings)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert message in errors[0], result.stderr
    assert not any(tmp_path.iterdir()), f"something was written: {list(tmp_path.rglob('*'))}"


def test_a_bad_setting_is_refused_in_one_line():
    result = run_invoke("plan", "--env", "local", env={"INVOKE_TBYTE_BACKUP_KEEP": "many"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: backup_keep must be a whole number from 1 to 1000, not 'many'" in result.stderr
