"""`invoke doctor k8s`: connect to the environment's cluster from its eks outputs (as the helm tasks do), read
it once, run every analyzer."""

from __future__ import annotations

from pathlib import Path

import yaml

from tbyte.cluster.kubectl import Kubectl
from tbyte.core.environment import Environment
from tbyte.core.files import write_private
from tbyte.doctor.context import require_reachable, stack_outputs, work_dir
from tbyte.doctor.findings import Report
from tbyte.doctor.k8s import autoscaling, ingress, nodes, pods, scheduling, services, workloads
from tbyte.doctor.k8s.snapshot import Reader, Snapshot
from tbyte.helm import cluster as eks


def connect(env: Environment) -> tuple[eks.Cluster, Path]:
    """The cluster of the eks outputs and a kubeconfig for it (client certificate locally, aws eks get-token on
    AWS), after checking that its endpoint answers."""
    require_reachable(env)
    target = eks.cluster(env, {"eks": stack_outputs(env, "eks")})
    eks.require_reachable(env, target, "diagnosing it")
    eks.require_aws_cli(env)
    config = eks.kubeconfig(target, "default", eks.credentials(env, target))
    return target, write_private(work_dir(env) / "kubeconfig", yaml.safe_dump(config, sort_keys=False))


def analyze(snapshot: Snapshot, env: str, cluster_name: str) -> list:
    return (pods.analyze(snapshot, env) + scheduling.analyze(snapshot, env) + services.analyze(snapshot)
            + ingress.analyze(snapshot) + autoscaling.analyze(snapshot, env, cluster_name)
            + nodes.analyze(snapshot, env) + workloads.analyze(snapshot, env))


def run(env: Environment, namespace: str | None = None) -> Report:
    target, kubeconfig = connect(env)
    snapshot = Snapshot.read(Reader(Kubectl(kubeconfig)), namespace)
    scope = f"namespace {namespace}" if namespace else "every namespace"
    report = Report("k8s", env.name, f"cluster {target.name} at {target.endpoint}, {scope}")
    report.add(analyze(snapshot, env.name, target.name))
    if report.findings:
        report.notes.append(f"the kubectl commands use the kubeconfig {kubeconfig}")
    return report
