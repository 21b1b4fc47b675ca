"""Autoscalers that cannot scale (K8S040-K8S042) and disruption budgets that block every eviction (K8S050).

An HPA reads resource metrics from the metrics API (APIService v1beta1.metrics.k8s.io, served by
metrics-server); its conditions say whether it could read them (ScalingActive), find its target (AbleToScale)
or is held at its maximum (ScalingLimited). A freshly created HPA has no conditions yet: when the metrics API is
not served at all, that is reported at once.
"""

from __future__ import annotations

from tbyte.doctor.actions import AwsCall, Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import condition, name, namespace, ref
from tbyte.doctor.k8s.snapshot import Snapshot

METRICS_API = "v1beta1.metrics.k8s.io"
METRIC_FAILURES = ("FailedGetResourceMetric", "FailedGetPodsMetric", "FailedGetObjectMetric",
                   "FailedGetExternalMetric", "FailedGetContainerResourceMetric", "InvalidMetricSourceType")


def analyze(snapshot: Snapshot, env: str, cluster: str) -> list[Finding]:
    found = []
    for hpa in snapshot.of("HorizontalPodAutoscaler", snapshot.namespace):
        found += _hpa(snapshot, hpa, env, cluster)
    for budget in snapshot.of("PodDisruptionBudget", snapshot.namespace):
        blocking = _budget(budget)
        if blocking:
            found.append(blocking)
    return found


def _hpa(snapshot: Snapshot, hpa: dict, env: str, cluster: str) -> list[Finding]:
    target = hpa["spec"]["scaleTargetRef"]
    able, active, limited = (condition(hpa, kind) for kind in ("AbleToScale", "ScalingActive", "ScalingLimited"))
    if able and able.get("status") == "False" and able.get("reason") == "FailedGetScale":
        return [Finding("K8S041", "critical", ref("hpa", hpa),
                        f"its target {target['kind']}/{target['name']} cannot be found",
                        (f"AbleToScale=False ({able['reason']}): {able.get('message', '')}",),
                        "point scaleTargetRef at the workload's kind and name (a canary's is the Rollout)")]
    resource_metrics = any(metric.get("type") in ("Resource", "ContainerResource")
                           for metric in hpa["spec"].get("metrics") or [{"type": "Resource"}])
    if resource_metrics and not snapshot.api_service_exists(METRICS_API):
        return [_no_metrics(hpa, env, cluster, f"the metrics API ({METRICS_API}) is not served: no metrics-server",
                            active)]
    if active and active.get("status") == "False" and active.get("reason") in METRIC_FAILURES:
        return [_no_metrics(hpa, env, cluster, f"ScalingActive=False ({active['reason']})", active)]
    current, maximum = (hpa.get("status") or {}).get("currentReplicas"), hpa["spec"].get("maxReplicas")
    if limited and limited.get("status") == "True" and current is not None and current >= maximum:
        return [Finding("K8S042", "warning", ref("hpa", hpa), f"held at its maximum of {maximum} replicas",
                        (f"ScalingLimited=True ({limited.get('reason', '?')}): {limited.get('message', '')}",
                         f"{current} of at most {maximum} replicas"),
                        "the load needs more replicas than allowed: raise autoscaling.maxReplicas in the release "
                        "file (and check the node group's max size), or find why each pod does less work")]
    return []


def _no_metrics(hpa: dict, env: str, cluster: str, cause: str, active: dict | None) -> Finding:
    evidence = [cause] + ([f"ScalingActive: {active.get('message', '')}"] if active and active.get("message") else [])
    if env == "local":
        fix = ("the local control plane serves no metrics API (kwok runs no containers, so there is nothing to "
               "measure): an HPA cannot work in local, whose releases keep autoscaling off; delete it")
        actions = (Kubectl.of("-n", namespace(hpa), "delete", "hpa", name(hpa)),)
    else:
        fix = ("install metrics-server (the EKS add-on below), then check `kubectl get apiservice "
               f"{METRICS_API}` is Available; until then the HPA holds the replica count where it is")
        actions = (AwsCall.of("eks", "CreateAddon", clusterName=cluster, addonName="metrics-server"),)
    return Finding("K8S040", "critical", ref("hpa", hpa), "the HPA cannot read its metrics", tuple(evidence), fix,
                   actions)


def _percent_or_int(value, pods: int) -> int:
    if isinstance(value, str) and value.endswith("%"):
        return -(-int(value[:-1]) * pods // 100)
    return int(value)


def _budget(budget: dict) -> Finding | None:
    status = budget.get("status") or {}
    expected, allowed = int(status.get("expectedPods") or 0), int(status.get("disruptionsAllowed") or 0)
    if expected == 0 or allowed > 0:
        return None
    spec = budget["spec"]
    if "minAvailable" in spec and spec["minAvailable"] is not None:
        blocks = _percent_or_int(spec["minAvailable"], expected) >= expected
        rule = f"minAvailable {spec['minAvailable']}"
    else:
        blocks = _percent_or_int(spec.get("maxUnavailable", 1), expected) == 0
        rule = f"maxUnavailable {spec.get('maxUnavailable')}"
    if not blocks:
        return None  # no disruption allowed because pods are unhealthy: their own findings say why
    return Finding(
        "K8S050", "warning", ref("pdb", budget), "the budget allows no eviction at all",
        (f"{rule} with {expected} pod(s): {allowed} disruption(s) allowed, "
         f"{status.get('currentHealthy', 0)} healthy",),
        "node drains and upgrades wait forever on it: allow one pod at a time (maxUnavailable 1; in the chart "
        "podDisruptionBudget.maxUnavailable), or run more replicas than minAvailable",
        (Kubectl.of("-n", namespace(budget), "patch", "pdb", name(budget), "--type=merge", "-p",
                    '{"spec":{"minAvailable":null,"maxUnavailable":1}}'),))
