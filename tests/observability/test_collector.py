"""The OpenTelemetry Collector's configuration is validated by the collector itself (`otelcol validate`, the
pinned build of tools/otelcol), and it is what the cluster's collector mounts."""

from __future__ import annotations

import os
import subprocess

import yaml

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import addon
from tbyte.gitops.observability import COLLECTOR_CONFIG, COLLECTOR_CONFIGMAP, generated_manifests


def validate(otelcol, path) -> subprocess.CompletedProcess:
    # The chart sets MY_POD_IP from the pod's IP; any address does for validation.
    return subprocess.run([str(otelcol), "validate", "--config", str(path)], capture_output=True, text=True,
                          env={**os.environ, "MY_POD_IP": "127.0.0.1"})


def test_the_collector_configuration_is_valid(otelcol):
    result = validate(otelcol, COLLECTOR_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_configuration_is_refused(otelcol, tmp_path):
    config = yaml.safe_load(COLLECTOR_CONFIG.read_text())
    config["service"]["pipelines"]["traces"]["exporters"] = ["otlp_grpc/tempo"]  # not configured
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(config))
    result = validate(otelcol, broken)
    assert result.returncode != 0 and "otlp_grpc/tempo" in result.stdout + result.stderr


def test_traces_go_to_jaeger_and_metrics_to_prometheus_over_otlp():
    config = yaml.safe_load(COLLECTOR_CONFIG.read_text())
    pipelines = config["service"]["pipelines"]
    assert pipelines["traces"]["receivers"] == ["otlp"] and pipelines["metrics"]["receivers"] == ["otlp"]
    (traces,) = pipelines["traces"]["exporters"]
    (metrics,) = pipelines["metrics"]["exporters"]
    jaeger, prometheus = addon("jaeger"), addon("kube-prometheus-stack")
    assert config["exporters"][traces]["endpoint"] == f"jaeger-collector.{jaeger.namespace}.svc:4317"
    assert config["exporters"][metrics]["metrics_endpoint"] == (
        f"http://kube-prometheus-stack-prometheus.{prometheus.namespace}.svc:9090/api/v1/otlp/v1/metrics")
    assert prometheus.values["prometheus"]["prometheusSpec"]["enableOTLPReceiver"] is True


def test_the_cluster_collector_mounts_exactly_this_file():
    collector = addon("opentelemetry-collector")
    name, key = COLLECTOR_CONFIGMAP
    assert collector.values["configMap"] == {"create": False, "existingName": name}
    (configmap,) = [m for m in generated_manifests(collector, Environment.resolve("prod")) if m["kind"] == "ConfigMap"]
    assert configmap["metadata"]["name"] == name and configmap["data"] == {key: COLLECTOR_CONFIG.read_text()}
    # the image is the k8s distribution of the release tools/otelcol builds
    assert collector.values["image"]["tag"] == "0.165.0"


def test_the_chart_points_the_services_at_this_collector():
    chart_values = yaml.safe_load((paths.HELM / "charts" / "tbyte-service" / "values.yaml").read_text())
    otlp = chart_values["telemetry"]["otlp"]
    collector = addon("opentelemetry-collector")
    grpc = yaml.safe_load(COLLECTOR_CONFIG.read_text())["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"]
    assert (otlp["service"], otlp["namespace"]) == (collector.name, collector.namespace)
    assert grpc.endswith(f":{otlp['port']}")
