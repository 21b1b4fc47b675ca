"""Observability as code, as the manifests the add-ons apply with their charts (catalogue `generated`):

    prometheus-rules      platform/observability/rules/*.yaml, each a PrometheusRule (kube-prometheus-stack)
    grafana-dashboards    platform/observability/dashboards/*.json, each a ConfigMap for Grafana's sidecar
    grafana-datasources   platform/observability/datasources.yaml, a ConfigMap for Grafana's sidecar
    collector-config      platform/observability/otel-collector.yaml, the ConfigMap the collector's chart mounts

The files are the source: promtool, otelcol and the dashboard tests check them as they are here.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.gitops.catalogue import Addon
from tbyte.gitops.references import resolve_env

OBSERVABILITY = paths.ROOT / "platform" / "observability"
RULES = OBSERVABILITY / "rules"
DASHBOARDS = OBSERVABILITY / "dashboards"
DATASOURCES = OBSERVABILITY / "datasources.yaml"
COLLECTOR_CONFIG = OBSERVABILITY / "otel-collector.yaml"
# The ConfigMap the collector's chart mounts (configMap.existingName) and the key it reads.
COLLECTOR_CONFIGMAP = ("otel-collector-config", "relay")
# Labels Grafana's sidecars select by (platform/addons/grafana.yaml).
DASHBOARD_LABEL = {"grafana_dashboard": "1"}
DATASOURCE_LABEL = {"grafana_datasource": "1"}


def rule_files() -> list[Path]:
    return sorted(RULES.glob("*.yaml"))


def dashboard_files() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.json"))


def _labels(addon: Addon, extra: dict | None = None) -> dict:
    return {"app.kubernetes.io/part-of": "tbyte", "tbyte.io/addon": addon.name, **(extra or {})}


def prometheus_rules(addon: Addon, env: Environment) -> list[dict]:
    documents = []
    for path in rule_files():
        spec = yaml.safe_load(path.read_text())
        documents.append({"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
                          "metadata": {"name": f"platform-{path.stem}", "namespace": addon.namespace,
                                       "labels": _labels(addon)},
                          "spec": {"groups": spec["groups"]}})
    return documents


def grafana_dashboards(addon: Addon, env: Environment) -> list[dict]:
    documents = []
    for path in dashboard_files():
        dashboard = json.loads(path.read_text())
        documents.append({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": f"dashboard-{path.stem}", "namespace": addon.namespace,
                                       "labels": _labels(addon, DASHBOARD_LABEL)},
                          "data": {path.name: json.dumps(dashboard, indent=2) + "\n"}})
    return documents


def grafana_datasources(addon: Addon, env: Environment) -> list[dict]:
    text = resolve_env(DATASOURCES.read_text(), env, addon, allow_cluster=False)
    return [{"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "grafana-datasources", "namespace": addon.namespace,
                          "labels": _labels(addon, DATASOURCE_LABEL)},
             "data": {"datasources.yaml": text}}]


def collector_config(addon: Addon, env: Environment) -> list[dict]:
    name, key = COLLECTOR_CONFIGMAP
    return [{"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": name, "namespace": addon.namespace, "labels": _labels(addon)},
             "data": {key: COLLECTOR_CONFIG.read_text()}}]


GENERATORS = {
    "prometheus-rules": prometheus_rules,
    "grafana-dashboards": grafana_dashboards,
    "grafana-datasources": grafana_datasources,
    "collector-config": collector_config,
}


def generated_manifests(addon: Addon, env: Environment) -> list[dict]:
    """The manifests the add-on's `generated` list names, in that order."""
    documents = []
    for name in addon.generated:
        if name not in GENERATORS:
            raise Refused(f"{addon.name}: no generator {name!r}")
        documents += GENERATORS[name](addon, env)
    return documents
