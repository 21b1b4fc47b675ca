"""Every alert of the platform is checked and unit-tested by promtool: it fires on a synthetic series that should
page and stays silent on one that should not (platform/observability/rules/tests)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tbyte.gitops.observability import RULES, rule_files
from tests.observability.conftest import alerts

TESTS = RULES / "tests"
# The release the service test file is written against (its namespace, service and objectives).
SERVICE_RELEASE = ("prod", "api")


def unit_tests(name: str) -> list[dict]:
    return yaml.safe_load((TESTS / name).read_text())["tests"]


def coverage(tests: list[dict]) -> dict[str, set[str]]:
    """{alert: {"fires", "silent"}} of the cases of promtool test files."""
    covered: dict[str, set[str]] = {}
    for case in tests:
        for check in case.get("alert_rule_test", []):
            covered.setdefault(check["alertname"], set()).add("fires" if check.get("exp_alerts") else "silent")
    return covered


def run(promtool: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(promtool), *arguments], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("path", rule_files(), ids=lambda path: path.name)
def test_platform_rules_pass_promtool_check_with_its_lint(promtool, path):
    result = run(promtool, "check", "rules", "--lint-fatal", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_chart_rules_of_every_release_pass_promtool_check(promtool, chart_rules, tmp_path):
    assert len(chart_rules) == 12  # 4 environments x 3 releases
    for (env, release), spec in chart_rules.items():
        path = tmp_path / f"{env}-{release}.yaml"
        path.write_text(yaml.safe_dump(spec))
        result = run(promtool, "check", "rules", "--lint-fatal", str(path))
        assert result.returncode == 0, f"{env}/{release}: {result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", rule_files(), ids=lambda path: path.name)
def test_platform_alerts_pass_their_unit_tests(promtool, path):
    result = run(promtool, "test", "rules", str(TESTS / path.name), cwd=TESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


@pytest.mark.parametrize("path", rule_files(), ids=lambda path: path.name)
def test_every_platform_alert_has_a_case_that_fires_and_one_that_stays_silent(path):
    defined = {rule["alert"] for rule in alerts(yaml.safe_load(path.read_text()))}
    covered = coverage(unit_tests(path.name))
    assert defined, path
    assert {alert: covered.get(alert, set()) for alert in defined} == {alert: {"fires", "silent"} for alert in defined}
    assert set(covered) <= defined, "a test of an alert that no longer exists"


def service_test_dir(chart_rules, tmp_path: Path) -> Path:
    """service.yaml next to the rules the chart renders for the release it is written against."""
    shutil.copy(TESTS / "service.yaml", tmp_path / "service.yaml")
    (tmp_path / "service-rules.yaml").write_text(yaml.safe_dump(chart_rules[SERVICE_RELEASE]))
    return tmp_path


def test_the_chart_alerts_pass_their_unit_tests(promtool, chart_rules, tmp_path):
    result = run(promtool, "test", "rules", "service.yaml", cwd=service_test_dir(chart_rules, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_any_release_renders_has_a_case_that_fires_and_one_that_stays_silent(chart_rules):
    defined = {rule["alert"] for spec in chart_rules.values() for rule in alerts(spec)}
    covered = coverage(unit_tests("service.yaml"))
    assert {"ServiceHighErrorRate", "ServiceAvailabilityBudgetFastBurn", "ServiceLatencyBudgetSlowBurn"} <= defined
    assert {alert: covered.get(alert, set()) for alert in defined} == {alert: {"fires", "silent"} for alert in defined}


def test_a_weakened_alert_fails_its_unit_test(promtool, chart_rules, tmp_path):
    """The unit tests can fail: an error-rate threshold ten times too high no longer fires on 10 % errors."""
    directory = service_test_dir(chart_rules, tmp_path)
    rules = (directory / "service-rules.yaml").read_text()
    assert "> 0.05" in rules
    (directory / "service-rules.yaml").write_text(rules.replace("> 0.05", "> 0.5"))
    result = run(promtool, "test", "rules", "service.yaml", cwd=directory)
    assert result.returncode != 0 and "ServiceHighErrorRate" in result.stdout + result.stderr


def test_the_burn_rate_windows_are_the_sre_workbooks(chart_rules):
    """Page: 14.4 over 1h and 5m, or 6 over 6h and 30m; ticket: 3 over 1d and 2h, or 1 over 3d and 6h."""
    expressions = {rule["alert"]: rule["expr"] for rule in alerts(chart_rules[SERVICE_RELEASE])}
    fast, slow = expressions["ServiceAvailabilityBudgetFastBurn"], expressions["ServiceAvailabilityBudgetSlowBurn"]
    for window, factor in (("1h", "14.4"), ("5m", "14.4"), ("6h", "6"), ("30m", "6")):
        assert f"ratio_rate{window}{{" in fast and f"({factor} * (100 - 99.9) / 100)" in fast
    for window, factor in (("1d", "3"), ("2h", "3"), ("3d", "1"), ("6h", "1")):
        assert f"ratio_rate{window}{{" in slow and f"({factor} * (100 - 99.9) / 100)" in slow
