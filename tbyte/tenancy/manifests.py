"""The Kubernetes side of the tenancy: helm/charts/tenancy with values computed from an environment's Tenancy.

    values(tenancy) -> dict                              the chart's values
    render(tenancy) -> str                               `helm template` of the chart (offline)
    install(tenancy, kubeconfig, context) -> None        `helm upgrade --install` into a cluster

The release is `tenancy` in kube-system. It must be installed before any workload: the namespaces' LimitRanges
and Pod Security labels apply when pods are admitted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.tenancy.model import Tenancy

CHART = paths.HELM / "charts" / "tenancy"
RELEASE = "tenancy"
RELEASE_NAMESPACE = "kube-system"
INSTALL_TIMEOUT = "5m"


def role_name(level: str) -> str:
    return f"tbyte:{level}"


def values(tenancy: Tenancy) -> dict:
    """The chart's values for the environment: every object derives from platform/tenants.yaml."""
    namespaces = []
    for namespace in tenancy.namespaces:
        warn = "restricted"
        namespaces.append({
            "name": namespace.name, "owner": namespace.owner, "size": namespace.size,
            "podSecurity": {"enforce": namespace.pod_security, "audit": warn, "warn": warn},
            "reason": namespace.reason, "quota": dict(namespace.quota), "container": dict(namespace.container)})
    cluster_roles, roles, cluster_bindings, role_bindings = [], [], [], []
    cluster_rule_groups: dict[str, list[str]] = {}
    for group in tenancy.groups:
        level = group.level
        if level.scope == "cluster":
            if level.cluster_role:  # break-glass: the built-in cluster-admin, bound to nobody else
                cluster_bindings.append({"name": role_name(level.name), "clusterRole": level.cluster_role,
                                         "groups": [group.kubernetes_group]})
            else:
                cluster_roles.append({"name": role_name(level.name), "level": level.name,
                                      "rules": level.role_rules, "checkovSkips": dict(level.checkov_skips)})
                cluster_bindings.append({"name": role_name(level.name), "clusterRole": role_name(level.name),
                                         "groups": [group.kubernetes_group]})
            continue
        for namespace in group.namespaces:
            roles.append({"name": role_name(level.name), "namespace": namespace, "level": level.name,
                          "rules": level.role_rules})
            role_bindings.append({"name": group.kubernetes_group, "namespace": namespace,
                                  "role": role_name(level.name), "groups": [group.kubernetes_group]})
        if level.cluster_rules:
            cluster_rule_groups.setdefault(level.name, []).append(group.kubernetes_group)
    for level_name, groups in cluster_rule_groups.items():
        level = next(group.level for group in tenancy.groups if group.level.name == level_name)
        name = f"{role_name(level_name)}:cluster"
        cluster_roles.append({"name": name, "level": level_name, "rules": list(level.cluster_rules),
                              "checkovSkips": {}})
        cluster_bindings.append({"name": name, "clusterRole": name, "groups": groups})
    aws_auth = [{"rolearn": group.role_arn, "username": f"{group.kubernetes_group}:{{{{SessionName}}}}",
                 "groups": [group.kubernetes_group]} for group in tenancy.groups]
    return {
        "environment": tenancy.env,
        "podSecurityVersion": f"v{tenancy.kubernetes_version}" if tenancy.kubernetes_version else "latest",
        "namespaces": namespaces,
        "clusterRoles": cluster_roles,
        "roles": roles,
        "clusterRoleBindings": cluster_bindings,
        "roleBindings": role_bindings,
        "awsAuth": {"enabled": not tenancy.access_entries, "mapRoles": aws_auth if not tenancy.access_entries else []},
    }


def _helm(arguments: list[str], values_of: Tenancy, what: str) -> str:
    from tbyte.helm.render import helm_binary, run_helm

    with tempfile.TemporaryDirectory(prefix="tbyte-tenancy-") as directory:
        values_file = Path(directory) / "values.yaml"
        values_file.write_text(yaml.safe_dump(values(values_of), sort_keys=False))
        return run_helm([str(helm_binary()), *arguments, "--values", str(values_file)], what).stdout


def template_command(tenancy: Tenancy) -> list[str]:
    return ["template", RELEASE, str(CHART), "--namespace", RELEASE_NAMESPACE,
            "--kube-version", tenancy.kubernetes_version or "1.31"]


def install_command(kubeconfig: Path, context: str) -> list[str]:
    return ["upgrade", "--install", RELEASE, str(CHART), "--namespace", RELEASE_NAMESPACE,
            "--kubeconfig", str(kubeconfig), "--kube-context", context,
            "--atomic", "--timeout", INSTALL_TIMEOUT, "--history-max", "10"]


def render(tenancy: Tenancy) -> str:
    """The manifests of the environment's tenancy, rendered offline."""
    return _helm(template_command(tenancy), tenancy, f"helm template of the tenancy of {tenancy.env}")


def install(tenancy: Tenancy, kubeconfig: Path, context: str, log=say) -> None:
    """Install or upgrade the tenancy release. Namespaces the declaration names that already exist (created by
    an add-on installer, say) are first handed to the release, as Helm adopts objects: labels and annotations."""
    from tbyte.tenancy.kube import Kube

    kube = Kube.from_kubeconfig(kubeconfig, context)
    for namespace in tenancy.namespaces:
        if kube.adopt_namespace(namespace.name, RELEASE, RELEASE_NAMESPACE):
            log(f"namespace {namespace.name} existed: handed to the {RELEASE} release")
    _helm(install_command(kubeconfig, context), tenancy, f"helm upgrade --install of the tenancy of {tenancy.env}")
    log(f"[green]✓[/] tenancy of {tenancy.env} installed ({len(tenancy.namespaces)} namespaces, "
        f"{len(tenancy.groups)} groups)")
