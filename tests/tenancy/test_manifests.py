"""The tenancy chart as every environment renders it: valid Kubernetes, the namespaces' guard rails, RBAC without
wildcards outside platform-admin and cluster-admin for break-glass only, and room for the releases."""

from __future__ import annotations

import math
import re

import kubernetes_validate
import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.helm import outputs as helm_outputs
from tbyte.helm import render as helm_render
from tbyte.tenancy import manifests
from tbyte.tenancy.model import tenancy
from tests.tenancy.conftest import ENVIRONMENTS, of_kind, rendered

NAMESPACED_KINDS = ("ResourceQuota", "LimitRange", "NetworkPolicy", "Role", "RoleBinding")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_document_is_valid_kubernetes(env):
    version = tenancy(env).kubernetes_version
    documents = rendered(env)
    assert len(documents) > 30
    for document in documents:
        kubernetes_validate.validate(document, version, strict=True)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_namespaces_have_pod_security_quota_limits_and_default_deny(env):
    declared = tenancy(env)
    documents = rendered(env)
    namespaces = {document["metadata"]["name"]: document for document in of_kind(documents, "Namespace")}
    assert sorted(namespaces) == sorted(namespace.name for namespace in declared.namespaces)
    for namespace in declared.namespaces:
        labels = namespaces[namespace.name]["metadata"]["labels"]
        expected = "restricted" if namespace.owner != "platform" else namespace.pod_security
        assert labels["pod-security.kubernetes.io/enforce"] == expected
        assert labels["pod-security.kubernetes.io/warn"] == labels["pod-security.kubernetes.io/audit"] == "restricted"
        assert labels["pod-security.kubernetes.io/enforce-version"] == f"v{declared.kubernetes_version}"
        annotations = namespaces[namespace.name]["metadata"]["annotations"]
        assert annotations["helm.sh/resource-policy"] == "keep"
        assert (annotations.get("tbyte.io/pod-security-reason") is not None) == (expected != "restricted")
        inside = [document for document in documents if document["metadata"].get("namespace") == namespace.name]
        (quota,) = of_kind(inside, "ResourceQuota")
        assert quota["spec"]["hard"] == namespace.quota
        assert quota["spec"]["hard"]["services.loadbalancers"] == "0"
        (limits,) = of_kind(inside, "LimitRange")
        assert limits["spec"]["limits"] == [{"type": "Container", **namespace.container}]
        policies = {policy["metadata"]["name"]: policy["spec"] for policy in of_kind(inside, "NetworkPolicy")}
        assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert policies["allow-dns"]["egress"][0]["ports"] == [{"port": 53, "protocol": "UDP"},
                                                               {"port": 53, "protocol": "TCP"}]
        assert "ingress" not in policies["allow-dns"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_wildcard_outside_platform_admin(env):
    for document in of_kind(rendered(env), "Role") + of_kind(rendered(env), "ClusterRole"):
        wildcards = [rule for rule in document["rules"]
                     if any("*" in value for key in ("verbs", "resources", "apiGroups") for value in rule.get(key, []))]
        if document["metadata"]["name"] == "tbyte:platform-admin":
            assert wildcards and all("*" not in rule["verbs"] for rule in wildcards)
            skips = [key for key in document["metadata"]["annotations"] if key.startswith("checkov.io/skip")]
            assert skips
        else:
            assert not wildcards, document["metadata"]["name"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_cluster_admin_is_bound_to_break_glass_only(env):
    bindings = of_kind(rendered(env), "ClusterRoleBinding") + of_kind(rendered(env), "RoleBinding")
    admin = [binding for binding in bindings if binding["roleRef"]["name"] in ("cluster-admin", "admin")]
    assert [subject["name"] for binding in admin for subject in binding["subjects"]] == ["tbyte:break-glass"]
    assert all(subject["kind"] == "Group" for binding in bindings for subject in binding["subjects"])


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_team_groups_are_bound_in_their_own_namespaces_only(env):
    declared = tenancy(env)
    for binding in of_kind(rendered(env), "RoleBinding"):
        (subject,) = binding["subjects"]
        group = next(group for group in declared.groups if group.kubernetes_group == subject["name"])
        assert binding["metadata"]["namespace"] in group.namespaces
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                      "name": f"tbyte:{group.level.name}"}


def test_aws_auth_maps_the_group_roles_where_there_are_no_access_entries():
    declared = tenancy("local")
    assert not declared.access_entries
    (config,) = of_kind(rendered("local"), "ConfigMap")
    assert (config["metadata"]["name"], config["metadata"]["namespace"]) == ("aws-auth", "kube-system")
    mapped = yaml.safe_load(config["data"]["mapRoles"])
    assert [(entry["rolearn"], entry["groups"]) for entry in mapped] == [
        (group.role_arn, [group.kubernetes_group]) for group in declared.groups]
    assert all(entry["username"].endswith(":{{SessionName}}") for entry in mapped)


@pytest.mark.parametrize("env", ["dev", "stage", "prod"])
def test_no_aws_auth_where_access_entries_map_the_roles(env):
    assert tenancy(env).access_entries
    assert not of_kind(rendered(env), "ConfigMap")


def quantity(text: str) -> float:
    """A Kubernetes quantity (cpu in cores, memory in bytes)."""
    units = {"m": 1e-3, "": 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text)).groups()
    return float(number) * units[unit]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_releases_fit_their_namespace_at_full_scale(env):
    """At maximum scale plus the rollouts' surge (25%), the releases stay within the quota of their namespace,
    and every container within its LimitRange."""
    declared = tenancy(env)
    manifests_ = helm_render.render_all(Environment.resolve(env), helm_outputs.example_outputs(env))
    documents = [document for text in manifests_.values() for document in yaml.safe_load_all(text) if document]
    namespace = next(namespace for namespace in declared.namespaces if namespace.name == "tbyte")
    maximum = {name: quantity(value) for name, value in namespace.container["max"].items()}
    scale = {hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"]["maxReplicas"]
             for hpa in of_kind(documents, "HorizontalPodAutoscaler")}
    totals = {"requests.cpu": 0.0, "requests.memory": 0.0, "limits.cpu": 0.0, "limits.memory": 0.0, "pods": 0.0}
    for workload in of_kind(documents, "Deployment") + of_kind(documents, "Rollout"):
        name = workload["metadata"]["name"]
        replicas = scale.get(name, workload["spec"].get("replicas", 1))
        pods = replicas + math.ceil(replicas * 0.25)
        totals["pods"] += pods
        for container in workload["spec"]["template"]["spec"]["containers"]:
            for kind in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    value = quantity(container["resources"][kind][resource])
                    totals[f"{kind}.{resource}"] += pods * value
                    assert value <= maximum[resource], (name, kind, resource)
    for resource, used in totals.items():
        assert used <= quantity(namespace.quota[resource]), (resource, used, namespace.quota[resource])


def test_values_print_and_the_chart_lints(tmp_path):
    values = manifests.values(tenancy("dev"))
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    lint = helm_render.run_helm([str(helm_render.helm_binary()), "lint", "--strict", str(manifests.CHART),
                                 "--values", str(path)], "helm lint of the tenancy chart")
    assert "0 chart(s) failed" in lint.stdout
