"""The numbers behind the latency suspects, and where each comes from.

    ALB TargetResponseTime p95, requests, 5xx   CloudWatch AWS/ApplicationELB (the service's target group)
    database load, CPU                          CloudWatch AWS/RDS (DBLoad: Performance Insights' active sessions)
    database top waits                          AWS: Performance Insights (db.load.avg by db.wait_event)
    cache hits, misses, evictions, engine CPU   CloudWatch AWS/ElastiCache (the replication group's members)
    the service's own p95, its CPU throttling   AWS: Prometheus (the chart's duration histogram, cAdvisor's CFS)
                                                queried through the API server's service proxy (a GET)
    pod restarts                                the Kubernetes API (the service's pods)

Performance Insights and Prometheus do not exist locally: there the same quantities are read from the CloudWatch
namespace TByte/Local (db_load_by_wait with a WaitEvent dimension, http_server_duration_p95, cpu_throttled_ratio),
which the latency drills fill. Every value is the latest complete minute of the window that has data.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from tbyte.core.environment import Environment

LOCAL = "TByte/Local"
PERIOD = 60
PROMETHEUS = "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-prometheus:9090/proxy/api/v1/query"


class Metrics:
    """CloudWatch reads: the latest complete minute of the window per series (GetMetricData, one call per batch)."""

    def __init__(self, env: Environment, minutes: int, now: datetime | None = None):
        self.cloudwatch = env.client("cloudwatch")
        self.end = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
        self.start = self.end - timedelta(minutes=minutes)

    def latest(self, queries: dict[str, tuple[str, str, dict, str]]) -> dict[str, float | None]:
        """{id: value} for {id: (namespace, metric, dimensions, statistic)}."""
        if not queries:
            return {}
        answer = self.cloudwatch.get_metric_data(StartTime=self.start, EndTime=self.end, ScanBy="TimestampDescending",
                                                 MetricDataQueries=[{"Id": key, "MetricStat": {
                                                     "Metric": {"Namespace": ns, "MetricName": metric, "Dimensions": [
                                                         {"Name": k, "Value": v} for k, v in dims.items()]},
                                                     "Period": PERIOD, "Stat": stat}}
                                                     for key, (ns, metric, dims, stat) in queries.items()])
        found = {}
        for result in answer["MetricDataResults"]:
            points = sorted(zip(result.get("Timestamps", []), result.get("Values", []), strict=False), reverse=True)
            found[result["Id"]] = points[0][1] if points else None
        return found

    def dimension_values(self, namespace: str, metric: str, name: str) -> list[dict]:
        """The dimension sets a metric has been published with (ListMetrics), each once (the emulator lists a set
        again for every time it was put)."""
        pages = self.cloudwatch.get_paginator("list_metrics").paginate(Namespace=namespace, MetricName=metric)
        found: list[dict] = []
        for item in (item for page in pages for item in page["Metrics"]):
            dimensions = {d["Name"]: d["Value"] for d in item["Dimensions"]}
            if name in dimensions and dimensions not in found:
                found.append(dimensions)
        return found


def target_group(metrics: Metrics, namespace: str, service: str) -> dict | None:
    """The AWS Load Balancer Controller names a Service's target group k8s-<namespace>-<service>-<hash>."""
    prefix = f"targetgroup/k8s-{namespace[:8]}-{service[:8]}-"
    found = [dims for dims in metrics.dimension_values("AWS/ApplicationELB", "TargetResponseTime", "TargetGroup")
             if dims["TargetGroup"].startswith(prefix) and "LoadBalancer" in dims]
    return found[0] if found else None


def performance_insights(env: Environment, resource_id: str, minutes: int) -> list[tuple[str, float]]:
    """AWS: the top waits of the database's load, average active sessions each (Performance Insights)."""
    end = datetime.now(UTC)
    answer = env.client("pi").describe_dimension_keys(
        ServiceType="RDS", Identifier=resource_id, StartTime=end - timedelta(minutes=minutes), EndTime=end,
        Metric="db.load.avg", GroupBy={"Group": "db.wait_event", "Limit": 5})
    return [(key["Dimensions"].get("db.wait_event.name", "?"), float(key.get("Total", 0)))
            for key in answer.get("Keys", [])]


def prometheus(reader, query: str) -> float | None:
    """One instant query through the API server's service proxy (kubectl get --raw: a read)."""
    code, out, _ = reader.get("--raw", f"{PROMETHEUS}?query={quote(query)}")
    if code != 0:
        return None
    results = (json.loads(out).get("data") or {}).get("result") or []
    return float(results[0]["value"][1]) if results else None
