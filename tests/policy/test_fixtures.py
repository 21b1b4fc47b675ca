"""Each fixture breaks one rule and makes the gate fail with the expected check id; compliant ones pass."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

import pytest

from tbyte.core import paths
from tbyte.policy import gate, model, targets

FIXTURES = paths.ROOT / "tests" / "policy" / "fixtures"

# (target name, a check id its failures must carry)
EXPECTED = [
    ("tf rds_unencrypted", "CKV_AWS_16"),
    ("tf sg_ssh_world", "CKV_TBYTE_4"),
    ("k8s deployment_root", "CKV_K8S_23"),
    ("plan eks_public_prod", "CKV_TBYTE_3"),
    ("plan rds_prod_single_az", "CKV_TBYTE_2"),
    ("plan missing_tags", "CKV_TBYTE_1"),
    ("plan sg_postgres_world", "CKV_TBYTE_4"),
    # The CI trust model's shapes before it was fixed, as the modules planned them (tests/policy/fixtures/README.md).
    ("plan ci_trust_old_shapes", "CKV_TBYTE_5"),
    ("plan ci_trust_old_shapes", "CKV_TBYTE_6"),
    ("plan ci_trust_old_shapes", "CKV_TBYTE_7"),
    ("plan ci_trust_old_shapes", "CKV_TBYTE_8"),
    ("plan ci_trust_old_shapes", "CKV_TBYTE_9"),
]
CI_TRUST_CHECKS = {"CKV_TBYTE_5", "CKV_TBYTE_6", "CKV_TBYTE_7", "CKV_TBYTE_8", "CKV_TBYTE_9"}


def fixture_targets() -> list[model.Target]:
    found = []
    for name in ("rds_unencrypted", "sg_ssh_world", "sg_restricted", "clean"):
        target = targets.path_target(FIXTURES / "terraform" / name)
        target.name = f"tf {name}"
        found.append(target)
    found.append(targets.manifests_target(FIXTURES / "kubernetes" / "deployment_root", "k8s deployment_root"))
    for plan in sorted((FIXTURES / "plans").glob("*.json")):
        found.append(targets.plan_file_target(plan, f"plan {plan.stem}"))
    return found


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    result = gate.scan_targets(fixture_targets(), tmp_path_factory.mktemp("reports"), log=lambda message: None)
    return {r.target.name: r for r in result.results}, result


@pytest.mark.parametrize(("target", "check_id"), EXPECTED)
def test_a_broken_rule_fails_the_gate_with_its_check_id(outcome, target, check_id):
    results, scan_result = outcome
    result = results[target]
    assert result.error is None, result.error
    assert result.status == "failed"
    assert check_id in {finding.check_id for finding in result.failed}, [f.check_id for f in result.failed]
    assert not scan_result.ok


def failed_ids(result) -> set[str]:
    return {finding.check_id for finding in result.failed}


def passed_ids(result, scan_result) -> set[str]:
    report = json.loads((scan_result.reports / "checkov" / result.target.slug / "results_json.json").read_text())
    return {record["check_id"] for record in report["results"]["passed_checks"]}


def test_a_compliant_prod_plan_passes_every_custom_check(outcome):
    results, scan_result = outcome
    result = results["plan prod_compliant"]
    assert not {check for check in failed_ids(result) if check.startswith("CKV_TBYTE")}
    assert {"CKV_TBYTE_1", "CKV_TBYTE_2", "CKV_TBYTE_3", "CKV_TBYTE_4"} <= passed_ids(result, scan_result)


def test_the_ci_trust_checks_fail_exactly_the_old_shapes(outcome):
    results, _ = outcome
    failing = {(f.check_id, f.resource) for f in results["plan ci_trust_old_shapes"].failed
               if f.check_id in CI_TRUST_CHECKS}
    assert failing == {
        # The plan role trusted by pull requests; the deploy role trusted by main as well as the environment.
        ("CKV_TBYTE_5", "aws_iam_role.plan"),
        ("CKV_TBYTE_5", "aws_iam_role.deploy"),
        # The plan role's policy wrote and deleted lock files.
        ("CKV_TBYTE_6", "aws_iam_role_policy.plan"),
        # Role changes without a boundary; key management on every key; the account root's kms:* on a key.
        ("CKV_TBYTE_7", "aws_iam_policy.deploy_identity"),
        ("CKV_TBYTE_8", "aws_iam_policy.deploy_identity"),
        ("CKV_TBYTE_9", "aws_kms_key.rds"),
    }
    details = {f.check_id: f.details for f in results["plan ci_trust_old_shapes"].failed if f.resource != "aws_iam_role.plan"}
    assert "trusts branch and environment subjects at once" in details["CKV_TBYTE_5"]
    assert "StateLockFilesOnly: allows s3:PutObject, s3:DeleteObject" in details["CKV_TBYTE_6"]
    assert "iam:CreateRole" in details["CKV_TBYTE_7"] and "without an iam:PermissionsBoundary" in details["CKV_TBYTE_7"]
    assert "KmsManageKeys: allows kms:PutKeyPolicy, kms:ScheduleKeyDeletion" in details["CKV_TBYTE_8"]
    assert "AccountAdministration: the whole account may kms:Encrypt, kms:Decrypt" in details["CKV_TBYTE_9"]


def test_the_ci_trust_shapes_of_the_modules_pass_every_ci_trust_check(outcome):
    results, scan_result = outcome
    result = results["plan ci_trust_compliant"]
    assert not CI_TRUST_CHECKS & failed_ids(result), [(f.check_id, f.resource, f.details) for f in result.failed]
    assert passed_ids(result, scan_result) >= CI_TRUST_CHECKS


def test_ssh_and_postgres_from_the_vpc_only_pass_the_security_group_check(outcome):
    results, scan_result = outcome
    result = results["tf sg_restricted"]
    assert "CKV_TBYTE_4" not in failed_ids(result)
    assert "CKV_TBYTE_4" in passed_ids(result, scan_result)


def test_a_clean_directory_passes(outcome):
    results, _ = outcome
    assert results["tf clean"].status == "passed"
    assert results["tf clean"].passed > 0


def test_the_failures_name_the_resource_the_file_and_the_reason(outcome):
    results, _ = outcome
    (finding,) = [f for f in results["plan missing_tags"].failed if f.check_id == "CKV_TBYTE_1"]
    assert finding.resource == "aws_kms_key.orders"
    assert finding.details == "missing tags: cost-center"
    (finding,) = [f for f in results["tf sg_ssh_world"].failed
                  if f.check_id == "CKV_TBYTE_4" and f.resource == "aws_security_group.bastion"]
    assert finding.file == "tests/policy/fixtures/terraform/sg_ssh_world/main.tf"
    assert finding.lines == "2-14"


def test_the_custom_checks_do_not_apply_outside_their_scope(outcome):
    results, scan_result = outcome
    # random_id has no tags_all: not taggable, not reported; a dev database is not held to the prod check.
    assert "random_id.suffix" not in {f.resource for f in results["plan missing_tags"].failed}
    assert "CKV_TBYTE_2" not in passed_ids(results["plan alb_controller_policy"], scan_result)


def test_an_exception_suppresses_only_what_it_names_with_its_reason(outcome):
    results, scan_result = outcome
    result = results["plan alb_controller_policy"]
    failing = {(f.check_id, f.resource) for f in result.failed}
    assert ("CKV_AWS_290", 'module.irsa["app"].aws_iam_policy.this[0]') in failing
    assert not any("alb_controller" in resource for _, resource in failing)
    report = json.loads((scan_result.reports / "checkov" / result.target.slug / "results_json.json").read_text())
    skipped = [r for r in report["results"]["skipped_checks"] if "alb_controller" in r["resource"]]
    assert {r["check_id"] for r in skipped} >= {"CKV_AWS_290", "CKV_AWS_355"}
    assert all(r["check_result"]["suppress_comment"].startswith("policies/exceptions.yaml: ") for r in skipped)


def test_sarif_and_junit_reports_are_written_per_target(outcome):
    results, scan_result = outcome
    directory = scan_result.reports / "checkov" / results["tf sg_ssh_world"].target.slug
    sarif = json.loads((directory / "results_sarif.sarif").read_text())
    assert "CKV_TBYTE_4" in {result["ruleId"] for run in sarif["runs"] for result in run["results"]}
    junit = ElementTree.parse(directory / "results_junitxml.xml").getroot()
    assert int(junit.get("failures")) == len(results["tf sg_ssh_world"].failed)
    summary = json.loads((scan_result.reports / "scan-summary.json").read_text())
    assert summary["ok"] is False
    assert {"check_id": "CKV_TBYTE_4", "resource": "aws_security_group.bastion"}.items() <= \
        next(f for f in summary["failures"] if f["check_id"] == "CKV_TBYTE_4").items()


def test_no_network_connection_was_attempted(outcome):
    _, scan_result = outcome
    assert scan_result.network_attempts == []


def invoke_scan(*args, env=None, prefix=()):
    with tempfile.TemporaryDirectory(prefix="tbyte-reports-") as reports:
        return subprocess.run([*prefix, sys.executable, "-m", "invoke", "scan", *args], cwd=paths.ROOT,
                              env={**os.environ, "INVOKE_TBYTE_REPORTS_DIR": reports, **(env or {})},
                              capture_output=True, text=True, timeout=600)


def test_invoke_scan_path_fails_on_a_finding_and_lists_it():
    result = invoke_scan("--path", "tests/policy/fixtures/terraform/sg_ssh_world")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CKV_TBYTE_4" in result.stderr
    assert "aws_security_group.bastion" in result.stderr
    assert "tests/policy/fixtures/terraform/sg_ssh_world/main.tf:2-14" in result.stderr
    assert "the scan failed; total" in result.stderr
    assert "Traceback" not in result.stderr


def test_invoke_scan_path_refuses_a_folder_without_terraform(tmp_path):
    result = invoke_scan("--path", str(tmp_path))
    assert result.returncode == 1
    assert "no Terraform files" in result.stderr
    assert "Traceback" not in result.stderr


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="no network namespaces here (unshare -n needs root)")
def test_the_gate_passes_without_any_network():
    """In a network namespace of its own (no interface up, not even loopback) the scan works the same."""
    result = invoke_scan("--path", "tests/policy/fixtures/terraform/clean", prefix=("unshare", "-n"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no unsuppressed finding" in result.stderr
    result = invoke_scan("--path", "tests/policy/fixtures/terraform/sg_ssh_world", prefix=("unshare", "-n"))
    assert result.returncode == 1
    assert "CKV_TBYTE_4" in result.stderr
