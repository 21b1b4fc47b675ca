"""`invoke doctor latency`: read the service's numbers from every source (tbyte/doctor/latency/sources.py) and rank
the suspects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tbyte.core.environment import Environment
from tbyte.doctor.context import require_reachable
from tbyte.doctor.findings import Report
from tbyte.doctor.latency import sources
from tbyte.doctor.latency.suspects import Reading, rank
from tbyte.helm.releases import load_release_file

VCPUS = {"micro": 2, "small": 2, "medium": 2, "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16}


def run(env: Environment, service: str, minutes: int = 30) -> Report:
    require_reachable(env)
    namespace = load_release_file(env.name)["namespace"]
    reading = Reading(service, namespace, float(env.values.get("latency_slo_seconds", 1)))
    report = Report("latency", env.name, f"service {namespace}/{service}, the last {minutes} minutes")
    metrics = sources.Metrics(env, minutes)
    _cloudwatch(env, metrics, reading, report)
    _cluster(env, reading, report, minutes)
    report.add(rank(reading))
    return report


def _cloudwatch(env: Environment, metrics: sources.Metrics, r: Reading, report: Report) -> None:
    queries = {}
    group = sources.target_group(metrics, r.namespace, r.service)
    if group:
        alb = "AWS/ApplicationELB"
        queries.update(alb_p95=(alb, "TargetResponseTime", group, "p95"), requests=(alb, "RequestCount", group, "Sum"),
                       errors_5xx=(alb, "HTTPCode_Target_5XX_Count", group, "Sum"))
    else:
        report.notes.append(f"no ALB target group of {r.namespace}/{r.service} has metrics (the AWS Load Balancer "
                            "Controller names it k8s-<namespace>-<service>-<hash>)")
    databases = env.client("rds").describe_db_instances()["DBInstances"]
    database = next((db for db in databases if db["DBInstanceIdentifier"] == f"tbyte-{env.name}"), None)
    if database:
        r.database, ident = database["DBInstanceIdentifier"], {"DBInstanceIdentifier": database["DBInstanceIdentifier"]}
        r.vcpus = VCPUS.get(database["DBInstanceClass"].rsplit(".", 1)[-1], 2)
        queries.update(db_load=("AWS/RDS", "DBLoad", ident, "Average"),
                       db_cpu=("AWS/RDS", "CPUUtilization", ident, "Average"))
    groups = env.client("elasticache").describe_replication_groups()["ReplicationGroups"]
    members = [member for group in groups if group["ReplicationGroupId"] == f"tbyte-{env.name}"
               for member in group.get("MemberClusters") or []]
    if members:
        r.cache, ident = members[0], {"CacheClusterId": members[0]}
        cache = "AWS/ElastiCache"
        queries.update(hits=(cache, "CacheHits", ident, "Sum"), misses=(cache, "CacheMisses", ident, "Sum"),
                       evictions=(cache, "Evictions", ident, "Sum"),
                       engine_cpu=(cache, "EngineCPUUtilization", ident, "Average"))
    if env.is_local:
        service = {"Service": r.service, "Namespace": r.namespace}
        queries.update(service_p95=(sources.LOCAL, "http_server_duration_p95", service, "Maximum"),
                       throttled=(sources.LOCAL, "cpu_throttled_ratio", service, "Maximum"))
    for key, value in metrics.latest(queries).items():
        setattr(r, key, value)
    if database:
        r.waits = _waits(env, metrics, database, report)
    report.notes.append("read from CloudWatch: " + (", ".join(sorted(k for k in queries if getattr(r, k) is not None))
                                                    or "nothing (no data in the window)"))


def _waits(env: Environment, metrics: sources.Metrics, database: dict, report: Report) -> list[tuple[str, float]]:
    if not env.is_local:
        try:
            return sources.performance_insights(env, database["DbiResourceId"],
                                                int((metrics.end - metrics.start).total_seconds() // 60))
        except Exception as error:  # noqa: BLE001 - PI is optional: its absence is a note, not a failure
            report.notes.append(f"Performance Insights could not be read ({str(error).splitlines()[0]})")
            return []
    found = metrics.dimension_values(sources.LOCAL, "db_load_by_wait", "WaitEvent")
    found = [dims for dims in found if dims.get("DBInstanceIdentifier") == database["DBInstanceIdentifier"]]
    values = metrics.latest({f"w{i}": (sources.LOCAL, "db_load_by_wait", dims, "Average")
                             for i, dims in enumerate(found)})
    waits = [(found[int(key[1:])]["WaitEvent"], value) for key, value in values.items() if value]
    return sorted(waits, key=lambda wait: -wait[1])[:5]


def _cluster(env: Environment, r: Reading, report: Report, minutes: int) -> None:
    """Restarts from the Kubernetes API; on AWS also the service's p95 and throttling from Prometheus."""
    from tbyte.cluster.kubectl import Kubectl
    from tbyte.doctor.k8s.check import connect
    from tbyte.doctor.k8s.snapshot import Reader

    _, kubeconfig = connect(env)
    reader = Reader(Kubectl(kubeconfig))
    since = datetime.now(UTC) - timedelta(minutes=minutes)
    for pod in reader.items(("pods",), r.namespace):
        if (pod["metadata"].get("labels") or {}).get("app.kubernetes.io/instance") != r.service:
            continue
        for status in (pod.get("status") or {}).get("containerStatuses") or []:
            last = (status.get("lastState") or {}).get("terminated") or {}
            finished = last.get("finishedAt")
            if status.get("restartCount") and finished and \
                    datetime.fromisoformat(finished.replace("Z", "+00:00")) >= since:
                r.restarts.append(f"{pod['metadata']['name']}: {status['restartCount']} restart(s), the last "
                                  f"{last.get('reason', '?')} (exit code {last.get('exitCode', '?')}) at {finished}")
    if not env.is_local:
        selector = f'namespace="{r.namespace}",service="{r.service}"'
        r.service_p95 = sources.prometheus(reader, "histogram_quantile(0.95, sum by (le) (rate("
                                           f"http_server_request_duration_seconds_bucket{{{selector}}}[5m])))")
        pods = f'namespace="{r.namespace}",pod=~"{r.service}-.*"'
        r.throttled = sources.prometheus(reader, f"sum(rate(container_cpu_cfs_throttled_periods_total{{{pods}}}[5m]))"
                                         f" / sum(rate(container_cpu_cfs_periods_total{{{pods}}}[5m]))")
        if r.service_p95 is None:
            report.notes.append("Prometheus did not answer through the API server: the service's own p95 and its CPU "
                                "throttling were not read")
