"""What Argo CD deploys is what helm.deploy would: every ApplicationSet template, rendered with Go's text/template
as the ApplicationSet controller does (goTemplate, missingkey=error; gotemplate/main.go) on the cluster secret,
gives the add-ons the values a direct install resolves, and the services the values of their release file."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import addon, addons
from tbyte.gitops.metadata import cluster_metadata
from tbyte.gitops.references import for_local
from tbyte.helm.outputs import example_outputs
from tbyte.helm.releases import releases
from tests.gitops.conftest import documents

RENDERER = Path(__file__).parent / "gotemplate"


@pytest.fixture(scope="module")
def gotemplate(tmp_path_factory):
    binary = tmp_path_factory.mktemp("gotemplate") / "gotemplate"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=RENDERER, check=True, capture_output=True,
                   env={**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"})
    return binary


def render_strings(binary: Path, value, data: dict):
    """value with every string rendered as a Go template on data."""
    strings: list[str] = []

    def collect(node):
        if isinstance(node, dict):
            return {key: collect(item) for key, item in node.items()}
        if isinstance(node, list):
            return [collect(item) for item in node]
        if isinstance(node, str):
            strings.append(node)
            return len(strings) - 1
        return node

    skeleton = collect(value)
    result = subprocess.run([str(binary)], input=json.dumps({"data": data, "templates": strings}),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rendered = json.loads(result.stdout)

    def fill(node, original):
        if isinstance(original, dict):
            return {key: fill(node[key], original[key]) for key in original}
        if isinstance(original, list):
            return [fill(item, sub) for item, sub in zip(node, original, strict=True)]
        if isinstance(original, str):
            return rendered[node]
        return original

    return fill(skeleton, value)


def generator_data(env: str, rendered) -> dict:
    (secret,) = documents(rendered(env).files["bootstrap/cluster-secret.yaml"])
    return {"name": secret["stringData"]["name"], "server": secret["stringData"]["server"],
            "metadata": {"annotations": secret["metadata"]["annotations"], "labels": secret["metadata"]["labels"]}}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_addon_values_through_argocd_equal_the_directly_resolved_values(env, rendered, gotemplate):
    target = Environment.resolve(env)
    metadata = cluster_metadata(target, example_outputs(env), addons())
    data = generator_data(env, rendered)
    for item in addons():
        if item.is_bootstrap:
            continue
        (applicationset,) = documents(rendered(env).files[f"apps/addons/{item.name}.yaml"])
        template = render_strings(gotemplate, applicationset["spec"]["template"], data)
        assert template["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
        values = template["spec"]["sources"][0]["helm"]["valuesObject"]
        assert values == for_local(item.values_for(env), target, item, metadata), item.name


def test_alertmanager_templates_reach_alertmanager_unchanged(rendered, gotemplate):
    (applicationset,) = documents(rendered("prod").files["apps/addons/kube-prometheus-stack.yaml"])
    template = render_strings(gotemplate, applicationset["spec"]["template"], generator_data("prod", rendered))
    receivers = template["spec"]["sources"][0]["helm"]["valuesObject"]["alertmanager"]["config"]["receivers"]
    expected = addon("kube-prometheus-stack").environments["prod"]["alertmanager"]["config"]["receivers"]
    assert receivers[0]["slack_configs"][0]["title"] == expected[0]["slack_configs"][0]["title"]
    assert "{{ .Status | toUpper }}" in receivers[0]["slack_configs"][0]["title"]


@pytest.mark.parametrize("env", ["dev", "stage", "prod"])
def test_service_values_through_argocd_equal_what_helm_deploy_would_use(env, rendered, gotemplate):
    data = generator_data(env, rendered)
    direct = {release.name: release.values for release in releases(Environment.resolve(env), example_outputs(env))}
    for name, values in direct.items():
        (applicationset,) = documents(rendered(env).files[f"apps/services/{name}.yaml"])
        template = render_strings(gotemplate, applicationset["spec"]["template"], data)
        assert yaml.safe_load(template["spec"]["source"]["helm"]["values"]) == values, name


def test_a_missing_annotation_fails_the_applicationset(rendered, gotemplate):
    data = generator_data("prod", rendered)
    del data["metadata"]["annotations"]["tbyte_rds_address"]
    (applicationset,) = documents(rendered("prod").files["apps/services/api.yaml"])
    result = subprocess.run([str(gotemplate)], capture_output=True, text=True, input=json.dumps(
        {"data": data, "templates": [applicationset["spec"]["template"]["spec"]["source"]["helm"]["values"]]}))
    assert result.returncode == 1 and "tbyte_rds_address" in result.stderr
