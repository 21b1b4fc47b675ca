"""The generated manifests are valid: Argo CD's objects against Argo CD's CRD schemas, the add-ons' custom resources
against theirs (strict: an unknown field fails), the built-in kinds against Kubernetes' schemas."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from tbyte.core.environment import Environment
from tbyte.gitops.validation import errors
from tbyte.helm.releases import kube_version
from tests.gitops.conftest import ENVIRONMENTS, documents

BUILT_IN = {"ConfigMap", "Secret", "Namespace"}


def generated(rendered, env: str) -> list[tuple[str, dict]]:
    """Every document the render makes, but the upstream Argo CD install and CRDs (copied verbatim)."""
    return [(name, document) for name, text in rendered(env).files.items()
            if not name.startswith("bootstrap/crds/") and name != "bootstrap/argo-cd.yaml"
            for document in documents(text)]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_generated_manifest_is_valid(env, rendered, crds):
    kinds = set()
    for name, document in generated(rendered, env):
        kinds.add(document["kind"])
        if document["kind"] in BUILT_IN:
            kubernetes_validate.validate(document, kube_version(Environment.resolve(env)), strict=True)
        else:
            assert errors(document, crds) == [], name
    assert {"ApplicationSet", "Application", "AppProject", "PrometheusRule", "ExternalSecret",
            "ClusterSecretStore", "ConfigMap", "Secret"} <= kinds


def test_the_schemas_refuse_an_unknown_field_a_wrong_type_and_a_missing_field(rendered, crds):
    (applicationset,) = documents(rendered("prod").files["apps/addons/grafana.yaml"])
    assert errors(applicationset, crds) == []
    typo = copy.deepcopy(applicationset)
    typo["spec"]["template"]["spec"]["syncPolicy"]["automated"]["selfheal"] = True
    assert any("selfheal" in problem for problem in errors(typo, crds))
    wrong = copy.deepcopy(applicationset)
    wrong["spec"]["goTemplate"] = "yes"
    assert any("goTemplate" in problem for problem in errors(wrong, crds))
    missing = copy.deepcopy(applicationset)
    del missing["spec"]["template"]["spec"]["destination"]
    assert any("destination" in problem for problem in errors(missing, crds))
    (rule,) = documents(rendered("prod").files["apps/manifests/kube-prometheus-stack/prometheusrule-platform-kubernetes.yaml"])
    rule["spec"]["groups"][0]["rules"][0]["expresion"] = "up"
    assert any("expresion" in problem for problem in errors(rule, crds))
    assert errors({"apiVersion": "example.com/v1", "kind": "Thing", "metadata": {"name": "x"}}, crds)


def test_the_argocd_schemas_are_the_pinned_releases(crds):
    assert {("argoproj.io/v1alpha1", kind) for kind in ("Application", "ApplicationSet", "AppProject")} <= set(crds)
    assert ("external-secrets.io/v1", "ExternalSecret") in crds and ("external-secrets.io/v1beta1", "ExternalSecret") \
        not in crds  # v1beta1 is no longer served by External Secrets 1.x
    assert ("monitoring.coreos.com/v1", "PrometheusRule") in crds
