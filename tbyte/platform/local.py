"""`invoke up` and `invoke down`: the whole local platform.

up: the AWS stacks applied layer by layer in the emulator (their EKS cluster reports the local control plane's
endpoint and CA); the local control plane starts as soon as the eks stack is applied, beside the other layers;
then the tenancy of platform/tenants.yaml, the local-capable add-ons of platform/addons and every release of
helm/releases/local.yaml are installed and waited for while every stack is planned again, which must change
nothing; then the key outputs. Nobody reviews local's changes, so each stack is planned and applied in one
Terraform run (reviewed environments apply saved plans).
down: everything destroyed and stopped, the control plane's data and certificates removed.
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

from tbyte.cluster import addons
from tbyte.cluster import local as control_plane
from tbyte.cluster.kubectl import Kubectl
from tbyte.core.console import say, show
from tbyte.core.environment import Environment
from tbyte.core.errors import ChangeFailed
from tbyte.doctor import context as doctor
from tbyte.emulator.manager import Emulator
from tbyte.helm.deploy import deploy
from tbyte.helm.outputs import infrastructure_outputs
from tbyte.helm.releases import load_release_file
from tbyte.infra import plans, terragrunt
from tbyte.infra.graph import graph
from tbyte.infra.operations import apply_unreviewed, destroy, in_parallel, plan_stack, print_plan_table
from tbyte.infra.outputs import output
from tbyte.infra.preflight import prepare
from tbyte.tenancy import manifests as tenancy_manifests
from tbyte.tenancy.model import tenancy

# What `invoke up` prints at the end: label -> (stack, output).
KEY_OUTPUTS = {
    "VPC id": ("vpc", "vpc_id"),
    "EKS endpoint": ("eks", "cluster_endpoint"),
    "EKS OIDC issuer": ("eks", "oidc_issuer_url"),
    "RDS endpoint": ("rds", "endpoint"),
    "database secret ARN": ("rds", "secret_arn"),
    "IRSA role: AWS Load Balancer Controller": ("iam", "alb_controller_role_arn"),
    "IRSA role: External Secrets": ("iam", "external_secrets_role_arn"),
    "IRSA role: application": ("iam", "app_role_arn"),
    "Redis primary endpoint": ("elasticache", "primary_endpoint_address"),
    "Redis reader endpoint": ("elasticache", "reader_endpoint_address"),
    "Redis secret ARN": ("elasticache", "secret_arn"),
    "ECR repository URLs": ("ecr", "repository_urls"),
    "WAF web ACL": ("edge", "web_acl_arn"),
    "alarm topic": ("observability", "alarm_topic_arn"),
    "CloudWatch dashboard": ("observability", "dashboard_name"),
    "backup vault": ("backup", "vault_arn"),
}


def apply_stacks(env: Environment, after_eks) -> None:
    """Every layer in order, the stacks of a layer in parallel; `after_eks()` once the eks stack is applied."""
    for layer in graph(env).layers():
        in_parallel(apply_unreviewed, layer)
        if "eks" in [stack.name for stack in layer]:
            after_eks()


def prove_idempotent(env: Environment) -> None:
    say("re-planning every stack: nothing may change")
    stacks = [stack for layer in graph(env).layers() for stack in layer]
    replans = in_parallel(plan_stack, stacks)
    print_plan_table(env, replans)
    for stack in stacks:
        plans.discard(stack)
    changing = [summary for summary in replans if summary.has_changes or summary.error]
    if changing:
        details = "; ".join(f"{s.stack}: {s.error or ', '.join(s.changed)}" for s in changing)
        raise ChangeFailed(f"the local platform is not idempotent, a second plan still changes {details}",
                           "fix the module (or the emulator correction) and run `invoke up` again")


def install_workloads(env: Environment) -> tuple[list[str], list[str]]:
    """The tenancy (namespaces, their Pod Security, quotas and RBAC: before any pod), the local-capable add-ons,
    then every release of local, installed (or upgraded) and available: the add-ons' names and the services'
    workloads."""
    outputs = infrastructure_outputs(env)
    kubeconfig = control_plane.layout(env).kubeconfig()
    tenancy_manifests.install(tenancy(env.name), kubeconfig, addons.CONTEXT, log=say)
    installed = addons.install(env, outputs.values, kubeconfig, log=say)
    deploy(env, outputs, log=say)
    namespace = load_release_file(env.name)["namespace"]
    workloads = sorted(item["metadata"]["name"] for kind in ("deployments", "rollouts.argoproj.io") for item in
                       (Kubectl(kubeconfig).get(kind, namespace=namespace) or {}).get("items", []))
    return installed, workloads


def up(env: Environment) -> dict[str, dict]:
    started = time.monotonic()
    control_plane.layout(env).ensure_pki()  # first: the emulator's EKS clusters report this control plane
    prepare(env)
    with ThreadPoolExecutor(max_workers=2) as background:
        starting = []
        apply_stacks(env, after_eks=lambda: starting.append(background.submit(control_plane.start, env)))
        cluster = starting[0].result() if starting else control_plane.start(env)
        installing = background.submit(install_workloads, env)
        prove_idempotent(env)
        installed, workloads = installing.result()
    values = output(env)
    show("Local platform")
    for label, (stack, name) in KEY_OUTPUTS.items():
        value = values.get(stack, {}).get(name, "-")
        show(f"  {label + ':':42} {value if isinstance(value, str) else json.dumps(value)}")
    show(f"  {'Kubernetes API (local control plane):':42} {cluster['endpoint']}")
    show(f"  {'kubeconfig:':42} {cluster['kubeconfig']}")
    show(f"  {'add-ons installed:':42} {', '.join(installed)}")
    show(f"  {'workloads available:':42} {', '.join(workloads)}")
    say(f"[green]✓[/] local platform up in {time.monotonic() - started:.0f}s")
    return values


def down(env: Environment) -> None:
    """Destroy the local stacks, then remove everything else of the platform."""
    destroy(env)
    remove(env)
    say("[green]✓[/] local platform destroyed, its control plane, the doctor's copies and Terragrunt's working copies "
        "removed and the emulator stopped")


def remove(env: Environment) -> None:
    """What the local platform holds outside its stacks: the control plane (data, certificates), what the doctor
    kept of it, Terragrunt's working copies of its stacks (~10 MB per emulator port), the emulator (its state is
    in memory)."""
    control_plane.remove(env)
    doctor.forget(env)
    shutil.rmtree(terragrunt.download_dir(env), ignore_errors=True)
    Emulator(env.settings.emulator_port).stop()
