"""tbyte/scan_checkov.py: reasoned exceptions on checkov's records, and the network guard (checkov's python)."""

import json
import subprocess
from dataclasses import dataclass, field

import pytest

from tbyte.core import paths
from tbyte.policy import checkov_env, gate, targets
from tbyte.policy import checkov_job as scan_checkov


@dataclass
class Record:
    check_id: str
    resource: str
    file_path: str
    bc_check_id: str | None = None
    check_result: dict = field(default_factory=lambda: {"result": "FAILED"})


@dataclass
class Report:
    failed_checks: list
    skipped_checks: list = field(default_factory=list)


@pytest.mark.parametrize(("value", "pattern", "expected"), [
    ('module.irsa["alb_controller"].aws_iam_policy.this[0]', 'module.irsa["alb_controller"].aws_iam_policy.this*', True),
    ('module.irsa["app"].aws_iam_policy.this[0]', 'module.irsa["alb_controller"].aws_iam_policy.this*', False),
    ("aws_cloudwatch_log_group.this[\"upgrade\"]", "aws_cloudwatch_log_group.*", True),
    ("tests/modules/iam/cases/a.yaml", "tests/*", True),
    ("helm/examples/outputs-dev.json", "helm/examples/*.json", True),
    ("helm/values.yaml", "helm/examples/*.json", False),
    ("aws_db_instance.this", "aws_db_instance.thi?", True),
])
def test_glob_treats_only_star_and_question_mark_as_wildcards(value, pattern, expected):
    assert scan_checkov.glob(value, pattern) is expected


def test_matching_failures_become_suppressed_with_the_reason():
    exceptions = [
        {"check": "CKV_AWS_338", "reason": "local keeps logs a week", "resources": ["aws_cloudwatch_log_group.*"]},
        {"check": "CKV_SECRET_6", "reason": "made-up test data", "paths": ["tests/*"]},
    ]
    kept_log = Record("CKV_AWS_338", "aws_kms_key.logs", "/logs.tf")
    log = Record("CKV_AWS_338", "aws_cloudwatch_log_group.flow_logs", "/flow_logs.tf")
    secret_in_tests = Record("CKV_SECRET_6", "abc", "/tests/a.yaml")
    secret_elsewhere = Record("CKV_SECRET_6", "def", "/helm/values.yaml")
    report = Report([kept_log, log, secret_in_tests, secret_elsewhere])
    assert scan_checkov.apply_exceptions(report, exceptions) == 2
    assert report.failed_checks == [kept_log, secret_elsewhere]
    assert report.skipped_checks == [log, secret_in_tests]
    assert log.check_result == {"result": "SKIPPED",
                                "suppress_comment": "policies/exceptions.yaml: local keeps logs a week"}


def test_path_globs_are_repository_relative_through_the_targets_prefix():
    exception = {"check": "CKV_AWS_1", "reason": "r", "paths": ["modules/vpc/*.tf"]}
    assert scan_checkov.matches(exception, Record("CKV_AWS_1", "x", "/main.tf"), prefix="modules/vpc/")
    assert not scan_checkov.matches(exception, Record("CKV_AWS_1", "x", "/main.tf"), prefix="modules/eks/")


def test_the_guard_refuses_and_records_every_connection_and_lookup(tmp_path):
    """Under checkov's python, as the runner installs it: TCP, UDP and name look-ups refused and logged."""
    python = checkov_env.ensure_checkov()
    log = tmp_path / "network.log"
    program = f"""
import runpy, socket, urllib.request
runner = runpy.run_path({str(paths.ROOT / "tbyte" / "policy" / "checkov_job.py")!r})
runner["install_network_guard"]({str(log)!r})
outcomes = []
for attempt in (lambda: urllib.request.urlopen("https://www.bridgecrew.cloud/api/v1", timeout=5),
                lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("192.0.2.1", 443)),
                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53))):
    try:
        attempt()
        outcomes.append("connected")
    except OSError as error:
        outcomes.append(type(error).__name__)
left, right = socket.socketpair()  # local IPC (multiprocessing) keeps working
left.send(b"ok")
outcomes.append(right.recv(2).decode())
print(outcomes)
"""
    result = subprocess.run([str(python), "-I", "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "connected" not in result.stdout
    assert result.stdout.strip().endswith("'ok']")
    attempts = log.read_text().splitlines()
    assert any("www.bridgecrew.cloud" in line for line in attempts)
    assert any("192.0.2.1" in line and "connect" in line for line in attempts)
    assert any("sendto" in line for line in attempts)


def test_a_checkov_that_reaches_for_the_network_fails_the_gate(private_reports):
    """A platform API key makes checkov call home: the guard refuses it and the scan fails on the attempt."""
    target = targets.path_target(paths.ROOT / "tests" / "policy" / "fixtures" / "terraform" / "clean")
    target.inputs += ["--bc-api-key", "12345678-1234-1234-1234-123456789012", "--repo-id", "tbyte/platform"]
    result = gate.scan_targets([target], private_reports, log=lambda message: None)
    assert not result.ok
    assert result.network_attempts
    assert any(r.target.name == "network" and r.error for r in result.results)
    summary = json.loads((result.reports / "scan-summary.json").read_text())
    assert summary["ok"] is False and summary["network_attempts"]
