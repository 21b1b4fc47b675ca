"""checkov's kubernetes checks on the tenancy chart of every environment (the `tenancy` target of `invoke scan`):
no RBAC finding but platform-admin's wildcards, which are suppressed with their reasons; a wildcard anywhere
else fails the gate."""

from __future__ import annotations

import json

import yaml

from tbyte.policy.gate import scan_targets
from tbyte.policy.targets import manifests_target, tenancy_target
from tbyte.tenancy import manifests
from tbyte.tenancy.model import tenancy

PLATFORM_ADMIN = "ClusterRole.default.tbyte:platform-admin"


def results(scan, name: str) -> dict:
    (result,) = [result for result in scan.results if result.target.name == name]
    document = json.loads((scan.reports / "checkov" / name / "results_json.json").read_text())
    return result, document["results"] if isinstance(document, dict) else document[0]["results"]


def test_the_tenancy_of_every_environment_passes_and_only_platform_admin_is_suppressed(tmp_path):
    scan = scan_targets([tenancy_target(tmp_path / "manifests")], tmp_path / "reports")
    result, found = results(scan, "tenancy")
    assert scan.ok and result.passed > 100 and not result.failed
    skipped = {(check["check_id"], check["resource"]) for check in found["skipped_checks"]}
    assert skipped == {("CKV_K8S_49", PLATFORM_ADMIN), ("CKV_TBYTE_10", PLATFORM_ADMIN), ("CKV_K8S_155", PLATFORM_ADMIN)}
    checked = {check["check_id"] for check in found["passed_checks"]}
    assert {"CKV_K8S_49", "CKV_TBYTE_10", "CKV_K8S_155", "CKV_K8S_156", "CKV_K8S_157", "CKV_K8S_158",
            "CKV2_K8S_3"} <= checked


def test_a_wildcard_outside_platform_admin_fails_the_gate(tmp_path):
    """The declaration refuses such a rule; here the rendered Role gets one behind its back, in its last rule."""
    text = manifests.render(tenancy("dev"))
    documents = [document for document in yaml.safe_load_all(text) if document]
    for document in documents:
        if document["kind"] == "Role" and document["metadata"]["name"] == "tbyte:read-only":
            document["rules"].append({"apiGroups": [""], "resources": ["*"], "verbs": ["get"]})
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "dev.yaml").write_text(yaml.safe_dump_all(documents))
    scan = scan_targets([manifests_target(tmp_path / "manifests", "tenancy")], tmp_path / "reports")
    result, _ = results(scan, "tenancy")
    assert not scan.ok
    failures = {(finding.check_id, finding.resource) for finding in result.failed}
    # CKV_K8S_49 reads a role's first rule only: the platform's own CKV_TBYTE_10 reads all of them.
    assert failures == {("CKV_TBYTE_10", "Role.tbyte.tbyte:read-only"), ("CKV_TBYTE_10", "Role.payments.tbyte:read-only")}
