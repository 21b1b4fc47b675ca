"""The latency suspects (LAT001-LAT007), each a score from its numbers (1 is its threshold), ranked: the likeliest
first. A suspect under its threshold is not reported; the service itself (LAT007) only when no dependency
explains its time."""

from __future__ import annotations

from dataclasses import dataclass, field

from tbyte.doctor.findings import Finding

WAIT_ADVICE = {
    "IO": "sessions wait on reads from storage: a missing index or a working set larger than memory; EXPLAIN ANALYZE "
          "the top statements (Performance Insights by db.sql, or pg_stat_statements), add the index, or give the "
          "instance more memory (a larger class)",
    "CPU": "sessions wait for CPU: expensive plans or too small a class; look at the top statements by CPU, then "
           "the class",
    "Lock": "sessions wait on row locks: long transactions or hot rows; find the blockers (pg_locks) and shorten "
            "the transactions",
    "LWLock": "contention inside Postgres (buffer mapping, WAL): usually too small a class for the load",
    "Client": "the server waits for the client: the application reads results slowly or holds idle transactions",
}


@dataclass
class Reading:
    """What was read, each None when its source had nothing."""

    service: str
    namespace: str
    objective: float  # the latency objective, seconds
    alb_p95: float | None = None
    requests: float | None = None
    errors_5xx: float | None = None
    service_p95: float | None = None
    database: str | None = None
    vcpus: int = 2
    db_load: float | None = None
    db_cpu: float | None = None
    waits: list[tuple[str, float]] = field(default_factory=list)
    cache: str | None = None
    hits: float | None = None
    misses: float | None = None
    evictions: float | None = None
    engine_cpu: float | None = None
    throttled: float | None = None
    restarts: list[str] = field(default_factory=list)


def _database(r: Reading) -> tuple[float, Finding] | None:
    if r.db_load is None and r.db_cpu is None:
        return None
    score = max((r.db_load or 0) / r.vcpus, (r.db_cpu or 0) / 80)
    waits = ", ".join(f"{name} {value:.1f}" for name, value in r.waits) or "not read"
    top = r.waits[0][0].split(":")[0] if r.waits else "CPU"
    advice = WAIT_ADVICE.get(top, "look at the top waits and statements in Performance Insights")
    return score, Finding("LAT001", "warning", f"database {r.database}", "the database is the bottleneck", (
        f"DBLoad {r.db_load:.1f} average active sessions on {r.vcpus} vCPUs ({(r.db_load or 0) / r.vcpus:.1f}x)"
        if r.db_load is not None else "DBLoad not read", f"CPUUtilization {r.db_cpu or 0:.0f}%",
        f"top waits (average active sessions): {waits}"), advice)


def _cache(r: Reading) -> tuple[float, Finding] | None:
    if r.hits is None and r.evictions is None:
        return None
    total = (r.hits or 0) + (r.misses or 0)
    ratio = (r.hits or 0) / total if total else 1.0
    score = max(0.8 / max(ratio, 0.01) if ratio < 0.8 else 0, 1 + (r.evictions or 0) / 1000 if r.evictions else 0)
    fix = ("the cache evicts keys to make room: its memory is too small for the working set; a larger node type "
           "(cache_node_type), or TTLs on what need not stay" if r.evictions else
           "requests miss the cache: check the keys and TTLs the service uses (a deploy that changed key names "
           "empties it)")
    return score, Finding("LAT002", "warning", f"cache {r.cache}", "the cache misses or evicts", (
        f"hit ratio {ratio:.0%} ({r.hits or 0:.0f} hits, {r.misses or 0:.0f} misses a minute)",
        f"evictions {r.evictions or 0:.0f} a minute", f"EngineCPUUtilization {r.engine_cpu or 0:.0f}%"), fix)


def _throttling(r: Reading) -> tuple[float, Finding] | None:
    if r.throttled is None:
        return None
    return r.throttled / 0.25, Finding(
        "LAT003", "warning", f"service {r.namespace}/{r.service}", "its containers are CPU-throttled",
        (f"{r.throttled:.0%} of the CFS periods throttled (threshold 25%)",),
        "the CPU limit stops the container mid-request: raise resources.limits.cpu in the release file (or drop the "
        "limit and keep the request), or scale out")


def _restarts(r: Reading) -> tuple[float, Finding] | None:
    if not r.restarts:
        return None
    return 1 + len(r.restarts) / 2, Finding(
        "LAT004", "warning", f"pods of {r.namespace}/{r.service}", "its pods restarted in the window",
        tuple(r.restarts), "each restart drops in-flight requests and starts cold (caches, connection pools): "
        f"`invoke doctor k8s --env <env> --namespace {r.namespace}` says why they restart")


def _errors(r: Reading) -> tuple[float, Finding] | None:
    if not r.requests or r.errors_5xx is None:
        return None
    rate = r.errors_5xx / r.requests
    return rate / 0.01, Finding(
        "LAT005", "warning", f"service {r.namespace}/{r.service}", "it answers errors",
        (f"{rate:.1%} of {r.requests:.0f} requests a minute answered 5xx (threshold 1%)",),
        "errors and timeouts go together: a dependency that times out shows as both; read the service's logs for "
        "the failing requests")


def _edge(r: Reading) -> tuple[float, Finding] | None:
    if r.alb_p95 is None or r.service_p95 is None:
        return None
    gap, allowed = r.alb_p95 - r.service_p95, max(0.1, 0.3 * r.alb_p95)
    return gap / allowed, Finding(
        "LAT006", "warning", f"service {r.namespace}/{r.service}", "the time goes before the service sees the request",
        (f"ALB TargetResponseTime p95 {r.alb_p95:.2f}s, the service's own p95 {r.service_p95:.2f}s: "
         f"{gap:.2f}s between the two",),
        "requests queue before the application: too few ready targets (an HPA at its maximum, pods not ready), "
        "connection set-up without keep-alive, or cross-zone hops; compare the targets' count and "
        "TargetConnectionErrorCount")


def _itself(r: Reading) -> tuple[float, Finding] | None:
    if r.service_p95 is None:
        return None
    return r.service_p95 / r.objective, Finding(
        "LAT007", "warning", f"service {r.namespace}/{r.service}", "the service itself is slow",
        (f"its own p95 {r.service_p95:.2f}s against the objective {r.objective:g}s; the database, the cache, CPU "
         "and restarts are within bounds",),
        "the time is in the service's code: trace a slow request (spans name the slow call) or profile it")


def rank(reading: Reading) -> list[Finding]:
    found = [item for check in (_database, _cache, _throttling, _restarts, _errors, _edge) if
             (item := check(reading)) is not None and item[0] >= 1]
    dependencies = {finding.code for _, finding in found} & {"LAT001", "LAT002", "LAT003", "LAT004"}
    itself = _itself(reading)
    if itself and itself[0] >= 1 and not dependencies:
        found.append(itself)
    ordered = sorted(found, key=lambda item: -item[0])
    return [Finding(f.code, "critical" if index == 0 else "warning", f.object, f"#{index + 1} ({score:.1f}x its "
                    f"threshold): {f.problem}", f.evidence, f.fix, f.actions, rank=index + 1)
            for index, (score, f) in enumerate(ordered)]
