"""The policy's files: every suppression carries a reason, exceptions are well-formed, checkov stays out of .venv."""

import importlib.util
import re

import pytest

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.policy import checkov_env, suppressions


def test_every_inline_suppression_in_modules_terragrunt_and_helm_has_a_reason():
    found = suppressions.suppressions()
    without = [f"{item.path}:{item.line} {item.checks}" for item in found if not item.reason]
    assert not without, f"suppressions without a reason: {without}"


def test_suppressions_are_found_with_and_without_reasons(tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "main.tf").write_text(
        'resource "aws_s3_bucket" "a" {\n'
        "  #checkov:skip=CKV_AWS_18:access logs go to the central account\n"
        "  # checkov:skip=CKV_AWS_144\n"
        "  #checkov:skip=CKV_AWS_145:\n"
        "}\n")
    (tmp_path / "helm").mkdir()
    (tmp_path / "helm" / "deployment.yaml").write_text(
        "metadata:\n  annotations:\n"
        "    checkov.io/skip1: CKV_K8S_20=the init container needs it\n"
        '    checkov.io/skip2: "CKV_K8S_43"\n')
    found = {(item.path, item.line): item for item in suppressions.suppressions(("modules", "helm"), base=tmp_path)}
    assert found[("modules/main.tf", 2)].reason == "access logs go to the central account"
    assert found[("modules/main.tf", 3)].reason == ""
    assert found[("modules/main.tf", 4)].reason == ""
    assert found[("helm/deployment.yaml", 3)].checks == "CKV_K8S_20"
    assert found[("helm/deployment.yaml", 3)].reason == "the init container needs it"
    assert found[("helm/deployment.yaml", 4)].reason == ""


def test_global_skips_of_checkov_yaml_carry_a_reason():
    assert all(reason for _, reason in suppressions.config_skips()), suppressions.config_skips()


def test_a_global_skip_without_a_comment_is_found(tmp_path):
    config = tmp_path / ".checkov.yaml"
    config.write_text("skip-check:\n  - CKV_AWS_1  # the platform has no such resource\n  - CKV_AWS_2\n")
    assert suppressions.config_skips(config) == [("CKV_AWS_1", "the platform has no such resource"), ("CKV_AWS_2", "")]


def test_the_exceptions_file_loads_and_every_entry_has_a_reason():
    entries = suppressions.load_exceptions()
    assert entries
    assert all(entry["reason"].strip() for entry in entries)


@pytest.mark.parametrize(("text", "message"), [
    ("- check: CKV_AWS_338\n  targets: [plans]\n", "has no reason"),
    ("- check: CKV_AWS_338\n  reason: '  '\n", "has no reason"),
    ("- check: not-a-check\n  reason: because\n", "must be a checkov check id"),
    ("- check: CKV_AWS_338\n  reason: because\n  targets: [everything]\n", "unknown targets everything"),
    ("- check: CKV_AWS_338\n  reason: because\n  environment: [prod]\n", "unknown keys environment"),
    ("- check: CKV_AWS_338\n  reason: because\n  resources: aws_s3_bucket.a\n", "must be a list of strings"),
])
def test_a_malformed_exception_is_refused(tmp_path, text, message):
    path = tmp_path / "exceptions.yaml"
    path.write_text(text)
    with pytest.raises(Refused, match=message):
        suppressions.load_exceptions(path)


def test_exceptions_are_chosen_by_target_and_environment():
    entries = [
        {"check": "CKV_AWS_338", "reason": "r", "targets": ["plans"], "environments": ["local"]},
        {"check": "CKV_SECRET_6", "reason": "r", "targets": ["secrets"], "paths": ["tests/*"]},
        {"check": "CKV_AWS_1", "reason": "r"},
    ]
    assert [e["check"] for e in suppressions.exceptions_for(entries, "plans", "local")] == ["CKV_AWS_338", "CKV_AWS_1"]
    assert [e["check"] for e in suppressions.exceptions_for(entries, "plans", "prod")] == ["CKV_AWS_1"]
    assert [e["check"] for e in suppressions.exceptions_for(entries, "secrets")] == ["CKV_SECRET_6", "CKV_AWS_1"]
    assert suppressions.exceptions_for(entries, "secrets")[0] == {"check": "CKV_SECRET_6", "reason": "r", "paths": ["tests/*"]}


def test_prod_is_never_excepted_from_the_environment_sized_checks():
    for entry in suppressions.load_exceptions():
        assert "prod" not in (entry.get("environments") or []), entry


def test_checkov_is_pinned_with_hashes_and_kept_out_of_the_venv():
    pins = (paths.TOOLS / "checkov" / "requirements.txt").read_text()
    requirements = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", pins, re.M)
    assert ("checkov", checkov_env.checkov_version()) in requirements
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", pins[pins.index("\n" + requirements[0][0]) + 1:])
    assert all("--hash=sha256:" in block for block in blocks), "every pin carries its hashes"
    assert importlib.util.find_spec("checkov") is None, "checkov must not be installed into .venv"


def test_checkovs_environment_is_keyed_by_the_pins(tmp_path, monkeypatch):
    pins = tmp_path / "requirements.txt"
    pins.write_text("checkov==3.3.30 \\\n    --hash=sha256:aaaa\n")
    monkeypatch.setattr(checkov_env, "CHECKOV_PINS", pins)
    first = checkov_env.checkov_home()
    assert first.parent == paths.TOOLCHAIN / "checkov"
    assert first.name.startswith("checkov-3.3.30-")
    pins.write_text("checkov==3.3.30 \\\n    --hash=sha256:bbbb\n")
    assert checkov_env.checkov_home() != first


def test_custom_checks_are_documented():
    policy = (paths.ROOT / "docs" / "policy.md").read_text()
    ids = sorted(set(re.findall(r'id="(CKV_TBYTE_\d+)"', "".join(
        path.read_text() for path in (paths.ROOT / "policies" / "checks").glob("*.py")))))
    assert ids == sorted(f"CKV_TBYTE_{number}" for number in range(1, 11))
    for check in ids:
        assert check in policy
