"""A2 drills: the local platform's cluster broken the way clusters break."""

from __future__ import annotations

import json

from tbyte.doctor.drills import k8s_workload as work
from tbyte.doctor.drills.bench import Bench
from tbyte.doctor.drills.registry import Drill

NS = work.NAMESPACE
DRILL_NODE = "ip-10-10-9-99.eu-central-1.compute.internal"
TARGET_PORT = "/spec/ports/0/targetPort"


def _worker_pod(finding) -> bool:
    return finding.object.startswith(f"pod {NS}/worker-")


def _merge(bench: Bench, kind: str, name: str, patch: dict) -> None:
    bench.kubectl("-n", NS, "patch", kind, name, "--type=merge", "-p", json.dumps(patch))


def _json(bench: Bench, kind: str, name: str, operations: list[dict]) -> None:
    bench.kubectl("-n", NS, "patch", kind, name, "--type=json", "-p", json.dumps(operations))


def _pending(bench: Bench, patch: dict, hold: bool = False) -> None:
    work.change_worker(bench, patch, hold=hold)
    work.new_worker_pod(bench, phase="Pending")


def _image_pull(bench: Bench) -> None:
    image = bench.kubectl_json("-n", NS, "get", work.WORKER)["spec"]["template"]["spec"]["containers"][0]["image"]
    broken = image.split("@")[0].rsplit(":", 1)[0] + ":2.5.1-does-not-exist"
    work.change_worker(bench, {"spec": {"template": {"spec": {"containers": [{"name": "worker", "image": broken}]}}}})
    pod = work.new_worker_pod(bench)
    work.report_container(bench, pod, {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{broken}"'},
                          None, restarts=0)


def _taint(bench: Bench) -> None:
    node = bench.kubectl_json("get", "nodes")["items"][0]["metadata"]["name"]
    bench.stash["tainted"] = node
    bench.kubectl("taint", "node", node, "dedicated=batch:NoSchedule", "--overwrite")
    _pending(bench, {"spec": {"template": {"metadata": {"annotations": {"tbyte.io/drill": "taint"}}}}})


def _untaint(bench: Bench) -> None:
    node = bench.stash.get("tainted")
    if node and any(taint.get("key") == "dedicated" for taint in
                    bench.kubectl_json("get", "node", node)["spec"].get("taints") or []):
        bench.kubectl("taint", "node", node, "dedicated=batch:NoSchedule-")
    work.restore_worker(bench)


def _deadline(bench: Bench) -> None:
    work.remember_worker(bench)
    _merge(bench, "deployment", "worker", {"spec": {"progressDeadlineSeconds": 10}})
    _pending(bench, {"spec": {"template": {"spec": {"nodeSelector": {"node.kubernetes.io/instance-type":
                                                                         "m7g.large"}}}}})


def _drill_node(bench: Bench, kwok: bool) -> None:
    """A node of the node group joins; with kwok as its kubelet it becomes Ready, without one it never does."""
    node = bench.kubectl_json("get", "nodes")["items"][0]
    labels = {**node["metadata"]["labels"], "kubernetes.io/hostname": DRILL_NODE}
    manifest = {"apiVersion": "v1", "kind": "Node", "metadata": {
        "name": DRILL_NODE, "labels": labels, "annotations": {"kwok.x-k8s.io/node": "fake"} if kwok else {}},
        "spec": {"providerID": "aws:///eu-central-1b/i-0000000000000099"},
        "status": {"capacity": node["status"]["capacity"], "allocatable": node["status"]["allocatable"]}
        if kwok else {}}
    bench.kubectl("create", "-f", "-", stdin=json.dumps(manifest))


def _not_ready(bench: Bench) -> None:
    _drill_node(bench, kwok=False)


def _pressure(bench: Bench) -> None:
    _drill_node(bench, kwok=True)
    bench.wait("the drill node Ready", lambda: any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in bench.kubectl_json("get", "node", DRILL_NODE).get("status", {}).get("conditions", [])))
    pressure = {"type": "MemoryPressure", "status": "True", "reason": "KubeletHasInsufficientMemory",
                "message": "kubelet has insufficient memory available", "lastHeartbeatTime": work.now(),
                "lastTransitionTime": work.now()}
    bench.kubectl("patch", "node", DRILL_NODE, "--subresource=status", "--type=strategic", "-p",
                  json.dumps({"status": {"conditions": [pressure]}}))


def _remove_node(bench: Bench) -> None:
    bench.kubectl("delete", "node", DRILL_NODE, "--ignore-not-found")


def _degrade(bench: Bench) -> None:
    bench.invoke("rollout.signal", "--release", "api", "--version", "2.6.0-drill", "--success-rate", "0.4")
    bench.invoke("helm.deploy", "--env", "local", "--release", "api", "--image-tag", "2.6.0-drill", check=False)


def _heal_api(bench: Bench) -> None:
    rollout = bench.kubectl_json("-n", NS, "get", "rollouts.argoproj.io", "api")
    if rollout.get("status", {}).get("phase") == "Degraded":
        bench.invoke("helm.rollback", "--env", "local", "--release", "api")


DRILLS = [
    Drill("crash-loop", "k8s", "K8S001", "a worker release whose container exits with code 1 at start",
          lambda b: work.crash(b, "Error", 1, "error: queue sqs://missing-queue does not exist"),
          work.restore_worker, _worker_pod),
    Drill("oom-killed", "k8s", "K8S002", "a worker release whose container is OOMKilled (exit code 137)",
          lambda b: work.crash(b, "OOMKilled", 137), work.restore_worker, _worker_pod),
    Drill("image-pull", "k8s", "K8S004", "a worker release whose image tag does not exist", _image_pull,
          work.restore_worker, _worker_pod),
    Drill("pending-taint", "k8s", "K8S010", "the only node tainted dedicated=batch:NoSchedule, a worker pod to "
          "place", _taint, _untaint, _worker_pod),
    Drill("pending-selector", "k8s", "K8S011", "a worker release that selects nodes with disktype=ssd",
          lambda b: _pending(b, {"spec": {"template": {"spec": {"nodeSelector": {"disktype": "ssd"}}}}}),
          work.restore_worker, _worker_pod),
    # An extended resource no node has: the namespace's LimitRange and quota (platform/tenants.yaml) refuse a pod
    # that asks more CPU or memory than a node has before the scheduler could see it.
    Drill("pending-resources", "k8s", "K8S012", "a worker release that requests a GPU",
          lambda b: _pending(b, {"spec": {"template": {"spec": {"containers": [
              {"name": "worker", "resources": {"requests": {"nvidia.com/gpu": "1"},
                                               "limits": {"nvidia.com/gpu": "1"}}}]}}}}),
          work.restore_worker, _worker_pod),
    Drill("service-selector", "k8s", "K8S020", "the api Service selects app.kubernetes.io/name=api-v2",
          lambda b: _merge(b, "service", "api", {"spec": {"selector": {"app.kubernetes.io/name": "api-v2"}}}),
          lambda b: _merge(b, "service", "api", {"spec": {"selector": {"app.kubernetes.io/name": "api"}}}),
          lambda f: f.object == f"service {NS}/api"),
    Drill("service-target-port", "k8s", "K8S022", "the api Service sends to targetPort 9090",
          lambda b: _json(b, "service", "api", [{"op": "replace", "path": TARGET_PORT, "value": 9090}]),
          lambda b: _json(b, "service", "api", [{"op": "replace", "path": TARGET_PORT, "value": "http"}]),
          lambda f: f.object == f"service {NS}/api"),
    Drill("ingress-backend", "k8s", "K8S030", "the frontend Ingress forwards to a Service frontend-v2",
          lambda b: _json(b, "ingress", "frontend", [{"op": "replace", "value": "frontend-v2",
                                                      "path": "/spec/rules/0/http/paths/0/backend/service/name"}]),
          lambda b: _json(b, "ingress", "frontend", [{"op": "replace", "value": "frontend",
                                                      "path": "/spec/rules/0/http/paths/0/backend/service/name"}]),
          lambda f: f.object == f"ingress {NS}/frontend"),
    Drill("ingress-tls", "k8s", "K8S031", "the frontend Ingress names a TLS secret www-tls that does not exist",
          lambda b: _json(b, "ingress", "frontend", [{"op": "add", "path": "/spec/tls", "value": [
              {"hosts": ["www.tbyte.localhost"], "secretName": "www-tls"}]}]),
          lambda b: b.kubectl("-n", NS, "patch", "ingress", "frontend", "--type=json", "-p",
                              '[{"op":"remove","path":"/spec/tls"}]') if "tls" in b.kubectl_json(
              "-n", NS, "get", "ingress", "frontend")["spec"] else None,
          lambda f: f.object == f"ingress {NS}/frontend"),
    Drill("ingress-class", "k8s", "K8S032", "the frontend Ingress names the IngressClass nginx",
          lambda b: _merge(b, "ingress", "frontend", {"spec": {"ingressClassName": "nginx"}}),
          lambda b: _merge(b, "ingress", "frontend", {"spec": {"ingressClassName": "alb"}}),
          lambda f: f.object == f"ingress {NS}/frontend"),
    Drill("hpa-no-metrics", "k8s", "K8S040", "an HPA on the worker (no metrics API serves it)",
          lambda b: b.kubectl("-n", NS, "autoscale", "deployment", "worker", "--min=1", "--max=2",
                              "--cpu-percent=80"),
          lambda b: b.kubectl("-n", NS, "delete", "hpa", "worker", "--ignore-not-found"),
          lambda f: f.object == f"hpa {NS}/worker"),
    Drill("pdb-blocks-evictions", "k8s", "K8S050", "the api budget raised to minAvailable 4 (all its replicas)",
          lambda b: _merge(b, "pdb", "api", {"spec": {"minAvailable": 4}}),
          lambda b: _merge(b, "pdb", "api", {"spec": {"minAvailable": 1, "maxUnavailable": None}}),
          lambda f: f.object == f"pdb {NS}/api"),
    Drill("node-not-ready", "k8s", "K8S060", "a node joins the node group and its kubelet never reports",
          _not_ready, _remove_node, lambda f: DRILL_NODE in f.object),
    Drill("node-pressure", "k8s", "K8S061", "a node of the node group reports MemoryPressure", _pressure,
          _remove_node, lambda f: DRILL_NODE in f.object),
    Drill("deployment-stuck", "k8s", "K8S070", "a worker release that cannot be placed, with a 10 s progress "
          "deadline", _deadline, work.restore_worker, lambda f: f.object == f"deployment {NS}/worker"),
    Drill("rollout-degraded", "k8s", "K8S080", "an api canary whose analysis fails (success rate 0.4): aborted",
          _degrade, _heal_api, lambda f: f.object == f"rollout {NS}/api", settle=180),
    Drill("rollout-paused", "k8s", "K8S081", "the api Rollout paused by hand",
          lambda b: _merge(b, "rollouts.argoproj.io", "api", {"spec": {"paused": True}}),
          lambda b: _merge(b, "rollouts.argoproj.io", "api", {"spec": {"paused": False}}),
          lambda f: f.object == f"rollout {NS}/api"),
]
