"""Every Grafana dashboard is valid JSON with a unique uid, every panel's data source is one Grafana provisions
(platform/observability/datasources.yaml), and every query names only metrics some exporter produces
(platform/observability/metrics.yaml) or some rule records (the platform's rules and the chart's)."""

from __future__ import annotations

import json
import re

import promql_parser
import pytest
import yaml

from tbyte.gitops.observability import DASHBOARDS, DATASOURCES, OBSERVABILITY, dashboard_files
from tests.observability.conftest import alerts

METRICS = OBSERVABILITY / "metrics.yaml"
# Grafana's variables, replaced by a value of their kind before parsing (PromQL does not know them).
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


def provisioned_datasources() -> dict[str, str]:
    """{uid: type} of the data sources Grafana is given."""
    document = yaml.safe_load(DATASOURCES.read_text())
    return {source["uid"]: source["type"] for source in document["datasources"]}


def exporter_metrics() -> tuple[set[str], dict[str, set[str]]]:
    """The Prometheus metrics the exporters produce, and CloudWatch's by namespace."""
    document = yaml.safe_load(METRICS.read_text())
    cloudwatch = {namespace: set(names) for namespace, names in document.pop("cloudwatch").items()}
    return {name for source in document.values() for name in source["metrics"]}, cloudwatch


@pytest.fixture(scope="module")
def known_metrics(chart_rules) -> set[str]:
    recorded = {rule["record"] for spec in chart_rules.values() for group in spec["groups"]
                for rule in group["rules"] if "record" in rule}
    for path in sorted((OBSERVABILITY / "rules").glob("*.yaml")):
        recorded |= {rule["record"] for group in yaml.safe_load(path.read_text())["groups"]
                     for rule in group["rules"] if "record" in rule}
    return exporter_metrics()[0] | recorded


def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression selects, read by a PromQL parser (not a regex)."""
    for variable, value in GRAFANA_VARIABLES.items():
        expression = expression.replace(variable, value)
    expression = re.sub(r"\$\{?(\w+)\}?", "x", expression)  # template variables: a label value
    names: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            if node.name:
                names.add(node.name)
            return
        if isinstance(node, promql_parser.MatrixSelector):
            walk(node.vector_selector)
            return
        for attribute in ("expr", "lhs", "rhs", "param"):
            child = getattr(node, attribute, None)
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child)
        for argument in getattr(node, "args", None) or []:
            walk(argument)

    walk(promql_parser.parse(expression))
    return names


def label_values_metric(query: str) -> str:
    match = re.fullmatch(r"label_values\((\w+)(\{.*\})?,\s*\w+\)", query)
    assert match, f"template query {query!r} is not label_values(<metric>{{...}}, <label>)"
    return match.group(1)


def dashboards() -> list[tuple[str, dict]]:
    return [(path.name, json.loads(path.read_text())) for path in dashboard_files()]


def panels(dashboard: dict) -> list[dict]:
    found = []
    for panel in dashboard["panels"]:
        found.append(panel)
        found += panel.get("panels", [])  # rows
    return found


def test_the_three_dashboards_exist_with_unique_uids():
    names = {path.name for path in dashboard_files()}
    assert {"service-red-slo.json", "platform-overview.json", "data-stores.json"} <= names
    uids = [dashboard["uid"] for _, dashboard in dashboards()]
    assert len(uids) == len(set(uids)) and all(re.fullmatch(r"[a-z0-9-]{1,40}", uid) for uid in uids)


@pytest.mark.parametrize(("name", "dashboard"), dashboards(), ids=[name for name, _ in dashboards()])
def test_every_panel_and_variable_uses_a_provisioned_data_source(name, dashboard):
    sources = provisioned_datasources()
    assert dashboard["title"] and dashboard["schemaVersion"] >= 36
    ids = [panel["id"] for panel in panels(dashboard)]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    for item in panels(dashboard) + dashboard["templating"]["list"]:
        datasource = item["datasource"]
        assert sources.get(datasource["uid"]) == datasource["type"], (item.get("title") or item["name"], datasource)
        for target in item.get("targets", []):
            assert sources.get(target["datasource"]["uid"]) == target["datasource"]["type"], target


@pytest.mark.parametrize(("name", "dashboard"), dashboards(), ids=[name for name, _ in dashboards()])
def test_every_query_names_metrics_that_exist(name, dashboard, known_metrics):
    _, cloudwatch = exporter_metrics()
    queries = 0
    for panel in panels(dashboard):
        for target in panel["targets"]:
            if target["datasource"]["type"] == "prometheus":
                names = metric_names(target["expr"])
                assert names, (panel["title"], target["expr"])
                assert names <= known_metrics, (panel["title"], names - known_metrics)
            else:
                assert target["metricName"] in cloudwatch.get(target["namespace"], set()), (panel["title"], target)
            queries += 1
    for variable in dashboard["templating"]["list"]:
        query = variable["query"]
        if variable["datasource"]["type"] == "prometheus":
            assert label_values_metric(query["query"]) in known_metrics, variable["name"]
        else:
            assert query["metricName"] in cloudwatch.get(query["namespace"], set()), variable["name"]
    assert queries >= 5


@pytest.mark.parametrize(("name", "dashboard"), dashboards(), ids=[name for name, _ in dashboards()])
def test_every_variable_a_query_uses_is_defined(name, dashboard):
    defined = {variable["name"] for variable in dashboard["templating"]["list"]}
    text = json.dumps(dashboard["panels"])
    used = set(re.findall(r"\$(?!__)(\w+)", text)) | set(re.findall(r"\$\{(\w+)\}", text))
    assert used <= defined, used - defined


def test_the_metric_check_catches_a_typo(known_metrics):
    assert metric_names('sum(rate(http_request_total{service="api"}[5m]))') == {"http_request_total"}
    assert "http_request_total" not in known_metrics
    assert metric_names("1 - avg_over_time(service:http_requests_errors:ratio_rate1h[30d])") <= known_metrics


def test_the_sli_panels_read_the_chart_recording_rules(chart_rules):
    service = json.loads((DASHBOARDS / "service-red-slo.json").read_text())
    names = set().union(*(metric_names(target["expr"]) for panel in panels(service) for target in panel["targets"]))
    recorded = {rule["record"] for group in chart_rules[("prod", "api")]["groups"] for rule in group["rules"]
                if "record" in rule}
    assert {"service:http_requests_errors:ratio_rate1h", "service:http_requests_slow:ratio_rate6h"} <= names & recorded
    assert {rule["alert"] for rule in alerts(chart_rules[("prod", "api")])}  # the same release alerts on them
