"""The Kubernetes analyzers on objects written here (no cluster): each problem found with its code, object and
the command of its fix; a healthy set of objects gives nothing."""

from datetime import UTC, datetime

import pytest

from tbyte.doctor.k8s import autoscaling, ingress, nodes, pods, scheduling, services, workloads
from tbyte.doctor.k8s.snapshot import Snapshot

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LABELS = {"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"}


def deployment(revision_sets=("1",)) -> tuple[dict, list[dict]]:
    owner = {"kind": "Deployment", "metadata": {"name": "api", "namespace": "tbyte", "uid": "d1",
                                                "annotations": {"meta.helm.sh/release-name": "api"}},
             "spec": {"replicas": 1}, "status": {}}
    sets = [{"kind": "ReplicaSet", "metadata": {"name": f"api-{n}", "namespace": "tbyte", "uid": f"rs{n}",
                                                "annotations": {"deployment.kubernetes.io/revision": n},
                                                "ownerReferences": [{"kind": "Deployment", "name": "api", "uid": "d1",
                                                                     "controller": True}]}} for n in revision_sets]
    return owner, sets


def pod(name="api-2-abcde", owner="api-2", status=None, spec=None, labels=LABELS) -> dict:
    return {"kind": "Pod", "metadata": {"name": name, "namespace": "tbyte", "labels": labels,
                                        "ownerReferences": [{"kind": "ReplicaSet", "name": owner, "controller": True}]},
            "spec": {"containers": [{"name": "api", "image": "repo/api:1", "ports": [{"containerPort": 8080,
                                                                                       "name": "http"}],
                                     "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "50m"}}}],
                     **(spec or {})},
            "status": status or {"phase": "Running"}}


def snapshot(*items, secrets=(), api_services=()) -> Snapshot:
    found: dict = {}
    for item in items:
        found.setdefault(item["kind"], []).append(item)
    shot = Snapshot(found)
    shot._secrets = {"tbyte": set(secrets)}
    shot._api_services = {name: True for name in api_services}
    return shot


def crashing(reason: str, code: int) -> dict:
    return {"phase": "Running", "containerStatuses": [{
        "name": "api", "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
        "lastState": {"terminated": {"reason": reason, "exitCode": code, "finishedAt": "2026-01-01T11:59:50Z"}}}]}


def test_a_crash_loop_is_named_with_its_exit_code_and_undone_to_the_revision_that_ran():
    owner, sets = deployment(("1", "2"))
    (finding,) = pods.analyze(snapshot(owner, *sets, pod(status=crashing("Error", 1))), "local", NOW)
    assert (finding.code, finding.object) == ("K8S001", "pod tbyte/api-2-abcde")
    assert "Error, exit code 1, 10s ago" in finding.evidence[0] and "4 restart(s)" in finding.evidence[1]
    assert [a.command() for a in finding.actions] == ["kubectl -n tbyte rollout undo deployment/api"]


def test_an_oom_kill_doubles_the_memory_limit():
    owner, sets = deployment(("1",))
    (finding,) = pods.analyze(snapshot(owner, *sets, pod(owner="api-1", status=crashing("OOMKilled", 137))),
                              "local", NOW)
    assert finding.code == "K8S002"
    assert finding.actions[0].command() == "kubectl -n tbyte set resources deployment/api -c api --limits=memory=512Mi"


def test_an_image_that_cannot_be_pulled():
    status = {"phase": "Pending", "containerStatuses": [{"name": "api", "image": "repo/api:nope", "restartCount": 0,
                                                         "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}
    (finding,) = pods.analyze(snapshot(pod(status=status)), "local", NOW)
    assert finding.code == "K8S004" and "image repo/api:nope" in finding.evidence


def unschedulable(message: str) -> dict:
    return {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                                "message": message}]}


NODE = {"kind": "Node", "metadata": {"name": "n1", "labels": {"workload": "general"}},
        "spec": {"taints": [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}]},
        "status": {"allocatable": {"cpu": "1930m", "memory": "3000Mi"},
                   "conditions": [{"type": "Ready", "status": "True"}]}}


def test_pending_pods_are_explained_by_the_scheduler_and_the_nodes():
    taint = pod(status=unschedulable("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}. "
                                     "preemption: 0/1 nodes are available: 1 Preemption is not helpful."))
    (found,) = scheduling.analyze(snapshot(taint, NODE), "local")
    assert found.code == "K8S010" and found.actions[0].command() == "kubectl taint node n1 dedicated=batch:NoSchedule-"

    owner, sets = deployment(("1", "2"))
    selector = pod(status=unschedulable("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."),
                   spec={"nodeSelector": {"disktype": "ssd", "workload": "general"}})
    (found,) = scheduling.analyze(snapshot(owner, *sets, selector, {**NODE, "spec": {}}), "local")
    assert found.code == "K8S011" and "nodeSelector disktype=ssd: no node has this label" in found.evidence
    assert '"path":"/spec/template/spec/nodeSelector/disktype"' in found.actions[0].command()

    hungry = pod(status=unschedulable("0/1 nodes are available: 1 Insufficient cpu."),
                 spec={"containers": [{"name": "api", "resources": {"requests": {"cpu": "16"}}}]})
    (found,) = scheduling.analyze(snapshot(hungry, NODE), "local")
    assert found.code == "K8S012" and "node n1 has cpu 1930m, memory 3000Mi left; the pod requests cpu 16000m" in \
        found.evidence[1]


def service(selector=None, target="http") -> dict:
    return {"kind": "Service", "metadata": {"name": "api", "namespace": "tbyte", "labels": LABELS},
            "spec": {"selector": selector or dict(LABELS), "ports": [{"name": "http", "port": 80,
                                                                       "targetPort": target}]}}


READY_SLICE = {"kind": "EndpointSlice", "metadata": {"name": "api-x", "namespace": "tbyte",
                                                     "labels": {"kubernetes.io/service-name": "api"}},
               "endpoints": [{"conditions": {"ready": True}}]}


def test_services_without_pods_or_with_a_wrong_target_port():
    wrong = service({**LABELS, "app.kubernetes.io/name": "api-v2"})
    (found,) = services.analyze(snapshot(wrong, pod()))
    assert found.code == "K8S020"
    assert found.actions[0].command() == \
        """kubectl -n tbyte patch service api --type=merge -p '{"spec":{"selector":{"app.kubernetes.io/name":"api"}}}'"""
    (found,) = services.analyze(snapshot(service(target=9090), pod(), READY_SLICE))
    assert found.code == "K8S022" and '"value":"http"' in found.actions[0].command()
    assert services.analyze(snapshot(service(), pod(), READY_SLICE)) == []


def test_ingress_backend_class_and_tls():
    rule = {"host": "www", "http": {"paths": [{"path": "/", "backend": {"service": {"name": "web",
                                                                                      "port": {"name": "http"}}}}]}}
    item = {"kind": "Ingress", "metadata": {"name": "api", "namespace": "tbyte", "labels": LABELS,
                                            "annotations": {"alb.ingress.kubernetes.io/certificate-arn": "arn"}},
            "spec": {"ingressClassName": "nginx", "rules": [rule], "tls": [{"secretName": "www-tls"}]}}
    alb = {"kind": "IngressClass", "metadata": {"name": "alb"}}
    found = {f.code: f for f in ingress.analyze(snapshot(item, alb, service()))}
    assert set(found) == {"K8S030", "K8S031", "K8S032"}
    assert '"value":"api"' in found["K8S030"].actions[0].command()
    assert '"value":"alb"' in found["K8S032"].actions[0].command()
    assert '"op":"remove","path":"/spec/tls/0"' in found["K8S031"].actions[0].command()


def test_nodes_hpas_budgets_and_rollouts():
    not_ready = {**NODE, "spec": {"providerID": "aws:///eu-central-1a/i-0abc"}, "status": {"conditions": [
        {"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting"}]}}
    (found,) = nodes.analyze(snapshot(not_ready), "dev")
    assert found.code == "K8S060"
    assert found.actions[-1].command() == "aws ec2 terminate-instances --instance-ids i-0abc"

    hpa = {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "api", "namespace": "tbyte"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "api"}, "maxReplicas": 3,
                    "metrics": [{"type": "Resource"}]}}
    (found,) = autoscaling.analyze(snapshot(hpa), "dev", "tbyte-dev")
    assert found.code == "K8S040"
    assert found.actions[0].command() == "aws eks create-addon --cluster-name tbyte-dev --addon-name metrics-server"
    assert autoscaling.analyze(snapshot(hpa, api_services=("v1beta1.metrics.k8s.io",)), "dev", "tbyte-dev") == []

    budget = {"kind": "PodDisruptionBudget", "metadata": {"name": "api", "namespace": "tbyte"},
              "spec": {"minAvailable": 4}, "status": {"expectedPods": 4, "disruptionsAllowed": 0,
                                                       "currentHealthy": 4}}
    (found,) = autoscaling.analyze(snapshot(budget), "local", "tbyte-local")
    assert found.code == "K8S050"

    rollout = {"kind": "Rollout", "metadata": {"name": "api", "namespace": "tbyte", "generation": 2,
                                               "annotations": {"meta.helm.sh/release-name": "api"}},
               "spec": {}, "status": {"observedGeneration": "2", "phase": "Degraded", "message": "RolloutAborted"}}
    (found,) = workloads.analyze(snapshot(rollout), "local")
    assert found.code == "K8S080" and found.actions[0].command() == "invoke helm.rollback --env local --release api"


def test_a_degraded_rollout_shows_its_analysis_metrics_in_name_order_whatever_order_the_controller_wrote():
    rollout = {"kind": "Rollout", "metadata": {"name": "api", "namespace": "tbyte", "generation": 2, "uid": "r1"},
               "spec": {}, "status": {"observedGeneration": "2", "phase": "Degraded", "message": "RolloutAborted"}}
    results = [{"name": "success-rate", "phase": "Failed", "measurements": [{"value": "0.4"}]},
               {"name": "latency-p95", "phase": "Successful", "measurements": [{"value": "0.01"}, {"value": "0.05"}]}]
    evidences = []
    for order in (results, results[::-1]):
        run = {"kind": "AnalysisRun", "metadata": {"name": "api-run", "namespace": "tbyte",
                                                   "ownerReferences": [{"kind": "Rollout", "uid": "r1"}]},
               "status": {"phase": "Failed", "metricResults": order}}
        (found,) = workloads.analyze(snapshot(rollout, run), "local")
        evidences.append(found.evidence)
    assert evidences[0] == evidences[1]
    assert evidences[0][-2:] == ("metric latency-p95: Successful, last value 0.05",
                                 "metric success-rate: Failed, last value 0.4")


@pytest.mark.parametrize("message, analysis_phase, fix", [
    ("InvalidSpec: The Rollout \"api\" is invalid", None, "the controller refuses the Rollout's spec"),
    ("RolloutAborted: Metric \"success-rate\" assessed Failed", "Failed", "the canary failed its analysis"),
    ("ProgressDeadlineExceeded: ReplicaSet \"api-2\" has timed out progressing.", None,
     "the canary never became available"),
])
def test_a_degraded_rollouts_fix_follows_its_cause(message, analysis_phase, fix):
    rollout = {"kind": "Rollout", "metadata": {"name": "api", "namespace": "tbyte", "generation": 2, "uid": "r1"},
               "spec": {}, "status": {"observedGeneration": "2", "phase": "Degraded", "message": message}}
    runs = [{"kind": "AnalysisRun", "metadata": {"name": "api-run", "namespace": "tbyte",
                                                 "ownerReferences": [{"kind": "Rollout", "uid": "r1"}]},
             "status": {"phase": analysis_phase, "metricResults": [{"name": "success-rate", "phase": analysis_phase}]}}
            ] if analysis_phase else []
    (found,) = workloads.analyze(snapshot(rollout, *runs), "local")
    assert found.fix.startswith(fix), found.fix
