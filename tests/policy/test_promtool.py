"""The scan's promtool row: `promtool check rules` of the platform's rules and of the chart's rendered rules."""

from __future__ import annotations

import yaml

from tbyte.policy import promtool

RENDERED = """apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: api}
spec:
  groups:
    - name: api.alerts
      rules:
        - alert: Broken
          expr: sum(rate(http_requests_total[5m]) > 1
"""


def test_the_chart_rules_are_extracted_and_a_broken_one_fails(tmp_path):
    manifests = tmp_path / "manifests" / "prod"
    manifests.mkdir(parents=True)
    (manifests / "api.yaml").write_text(RENDERED)
    (files,) = [promtool.chart_rule_files(tmp_path / "manifests", tmp_path / "work")]
    assert [path.name for path in files] == ["prod-api.rules.yaml"]
    assert yaml.safe_load(files[0].read_text())["groups"][0]["name"] == "api.alerts"
    result = promtool.check(files, {files[0]: "helm/charts/tbyte-service (release prod-api)"})
    assert result.passed == 0 and len(result.failed) == 1
    (finding,) = result.failed
    assert finding.check_id == "PROMTOOL" and "prod-api" in finding.resource and "parse error" in finding.details


def test_the_platform_rules_pass(tmp_path):
    result = promtool.scan(tmp_path / "no-manifests", tmp_path / "work")
    assert result.failed == [] and result.passed == len(list(promtool.PLATFORM_RULES.glob("*.yaml"))) >= 2
