"""D2 drills: a slow frontend, with its numbers put into the emulator's CloudWatch (and, for the stand-ins of
Performance Insights and Prometheus, into TByte/Local: tbyte/doctor/latency/sources.py). Each phase writes the
whole picture (healthy values with the drill's overrides) into one minute of its own, later than any minute used
before and already complete, so that the doctor's "latest complete minute" is exactly that phase."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from tbyte.doctor.drills.bench import Bench
from tbyte.doctor.drills.registry import Drill
from tbyte.doctor.latency.sources import LOCAL

SERVICE, NAMESPACE = "frontend", "tbyte"
BALANCER = {"LoadBalancer": "app/k8s-tbyte-frontend-4c5a1b2e3d/9a8b7c6d5e4f3a2b",
            "TargetGroup": "targetgroup/k8s-tbyte-frontend-7f3e2d1c0b/1a2b3c4d5e6f7a8b"}
HEALTHY = {"alb_p95": 0.12, "requests": 1200, "errors": 2, "service_p95": 0.1, "db_load": 0.4, "db_cpu": 12,
           "waits": {"CPU": 0.2, "IO:DataFileRead": 0.1, "Client:ClientRead": 0.1}, "hits": 9800, "misses": 200,
           "evictions": 0, "engine_cpu": 8, "throttled": 0.02}
WAITS = ("CPU", "IO:DataFileRead", "Client:ClientRead", "LWLock:BufferMapping")  # every wait a phase writes
EARLIEST = timedelta(minutes=25)  # slots start inside the doctor's default 30-minute window


def _slot(bench: Bench) -> datetime:
    """A complete minute later than every minute a drill used before."""
    cloudwatch = bench.client("cloudwatch")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    used = cloudwatch.get_metric_data(StartTime=now - timedelta(hours=3), EndTime=now + timedelta(hours=3),
                                      MetricDataQueries=[{"Id": "slot", "MetricStat": {"Metric": {
                                          "Namespace": LOCAL, "MetricName": "drill_slot"}, "Period": 60,
                                          "Stat": "Sum"}}])["MetricDataResults"][0].get("Timestamps", [])
    slot = max([now - EARLIEST, *[t.replace(tzinfo=UTC) + timedelta(minutes=1) for t in used]])
    while slot > datetime.now(UTC) - timedelta(minutes=1):
        time.sleep(5)
    return slot


def feed(bench: Bench, **overrides) -> None:
    values = {**HEALTHY, **overrides}
    # every wait series each time (0 for the phase's absent ones): the doctor reads each series' latest minute
    values["waits"] = {**dict.fromkeys(WAITS, 0.0), **values["waits"]}
    slot = _slot(bench)
    tg = [{"Name": key, "Value": value} for key, value in BALANCER.items()]
    service = [{"Name": "Service", "Value": SERVICE}, {"Name": "Namespace", "Value": NAMESPACE}]
    database = [{"Name": "DBInstanceIdentifier", "Value": "tbyte-local"}]
    cache = [{"Name": "CacheClusterId", "Value": "tbyte-local-001"}]
    latencies = [values["alb_p95"] * 0.6] * 90 + [values["alb_p95"]] * 10  # p95 = the tenth slowest of 100

    def datum(name, value, dimensions):
        return {"MetricName": name, "Value": float(value), "Dimensions": dimensions, "Timestamp": slot}

    batches = {
        "AWS/ApplicationELB": [datum("TargetResponseTime", v, tg) for v in latencies] + [
            datum("RequestCount", values["requests"], tg), datum("HTTPCode_Target_5XX_Count", values["errors"], tg)],
        "AWS/RDS": [datum("DBLoad", values["db_load"], database), datum("CPUUtilization", values["db_cpu"], database)],
        "AWS/ElastiCache": [datum("CacheHits", values["hits"], cache), datum("CacheMisses", values["misses"], cache),
                            datum("Evictions", values["evictions"], cache),
                            datum("EngineCPUUtilization", values["engine_cpu"], cache)],
        LOCAL: [datum("http_server_duration_p95", values["service_p95"], service),
                datum("cpu_throttled_ratio", values["throttled"], service),
                *[datum("db_load_by_wait", v, [*database, {"Name": "WaitEvent", "Value": wait}])
                  for wait, v in values["waits"].items()], datum("drill_slot", 1, [])]}
    for namespace, data in batches.items():
        for start in range(0, len(data), 500):
            bench.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=data[start:start + 500])


def _restart(bench: Bench) -> None:
    pod = bench.kubectl_json("-n", NAMESPACE, "get", "pods", "-l", f"app.kubernetes.io/instance={SERVICE}")[
        "items"][0]
    bench.stash["pod"] = pod["metadata"]["name"]
    bench.save()
    status = pod["status"]["containerStatuses"][0]
    finished = (datetime.now(UTC) - timedelta(seconds=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    restarted = {**status, "restartCount": 3, "lastState": {"terminated": {
        "exitCode": 137, "reason": "OOMKilled", "startedAt": finished, "finishedAt": finished}}}
    bench.kubectl("-n", NAMESPACE, "patch", "pod", pod["metadata"]["name"], "--subresource=status", "--type=merge",
                  "-p", json.dumps({"status": {"containerStatuses": [restarted]}}))
    feed(bench, alb_p95=0.6, service_p95=0.55)


def _replace_pod(bench: Bench) -> None:
    if bench.stash.get("pod"):
        bench.kubectl("-n", NAMESPACE, "delete", "pod", bench.stash["pod"], "--ignore-not-found", "--wait=true")


def _replaced(bench: Bench) -> None:
    """After the fix: the restarted pod replaced by a fresh one, the service's numbers healthy again."""
    _replace_pod(bench)
    feed(bench)


def _drill(name: str, code: str, breaks: str, **overrides) -> Drill:
    return Drill(name, "latency", code, breaks, lambda b: feed(b, **overrides), nothing_left,
                 lambda finding: finding.rank == 1, {"service": SERVICE}, settle=150, fixed=feed)


def nothing_left(bench: Bench) -> None:
    return None  # every phase writes the whole picture: the fixed phase is the platform as it was


DRILLS = [
    _drill("lat-database", "LAT001", "the database reads from disk for every request (DBLoad 5.6 on 2 vCPUs)",
           alb_p95=1.9, service_p95=1.8, db_load=5.6, db_cpu=48,
           waits={"IO:DataFileRead": 3.9, "CPU": 1.1, "LWLock:BufferMapping": 0.4}),
    _drill("lat-cache", "LAT002", "the cache evicts (hit ratio 42%)", alb_p95=0.9, service_p95=0.85, db_load=1.3,
           hits=4200, misses=5800, evictions=1250, engine_cpu=35),
    _drill("lat-throttling", "LAT003", "the frontend's containers throttled 62% of the time", alb_p95=0.7,
           service_p95=0.66, throttled=0.62),
    Drill("lat-restarts", "latency", "LAT004", "a frontend pod restarted three times (OOMKilled)", _restart,
          _replace_pod, lambda finding: finding.rank == 1, {"service": SERVICE}, settle=150, fixed=_replaced),
    _drill("lat-errors", "LAT005", "4.5% of the frontend's requests answered 5xx", alb_p95=0.4, service_p95=0.35,
           errors=54),
    _drill("lat-before-service", "LAT006", "1.3 s between the ALB and the frontend (p95 1.4 s vs 0.12 s)",
           alb_p95=1.4, service_p95=0.12),
    _drill("lat-service", "LAT007", "the frontend itself answers in 1.6 s (p95)", alb_p95=1.65, service_p95=1.6),
]
