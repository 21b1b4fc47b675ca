"""The add-on catalogue: every file loads, the platform's add-ons are all there, and a wrong file is refused."""

from __future__ import annotations

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.gitops.catalogue import CATALOGUE, addons, load
from tbyte.infra.graph import render as render_unit

EXPECTED = {"aws-load-balancer-controller", "metrics-server", "external-secrets", "argo-rollouts",
            "cluster-autoscaler", "kube-prometheus-stack", "opentelemetry-collector", "jaeger", "grafana", "argo-cd"}


def test_every_add_on_of_the_issue_is_in_the_catalogue():
    assert {addon.name for addon in addons()} == EXPECTED


def test_every_chart_is_pinned_to_a_version():
    for addon in addons():
        if addon.is_bootstrap:
            continue
        assert addon.chart["repository"].startswith("https://"), addon.name
        assert str(addon.chart["version"]).count(".") == 2, addon.name


def test_local_capable_and_rendered_only_are_both_explained():
    local = {addon.name for addon in addons() if addon.local.capable}
    assert local == {"argo-rollouts", "metrics-server", "external-secrets", "kube-prometheus-stack", "argo-cd"}
    for addon in addons():
        assert addon.local.capable or addon.local.reason, addon.name


@pytest.mark.parametrize("addon", [a for a in addons() if a.local.chart], ids=lambda a: a.name)
def test_a_chart_from_a_go_module_is_the_version_argocd_installs(addon):
    """Local installs the module's chart, Argo CD the repository's: the same chart version."""
    chart = yaml.safe_load((addon.module.path_in(addon.local.chart) / "Chart.yaml").read_text())
    assert str(chart["version"]) == str(addon.chart["version"])


@pytest.mark.parametrize("env", ["local", "prod"])
def test_modules_iam_gets_every_role_the_catalogue_asks_for(env):
    inputs = render_unit(Environment.resolve(env), "iam")["inputs"]
    wanted = {addon.irsa["role"]: addon for addon in addons() if addon.irsa}
    assert set(inputs["service_accounts"]) | set(inputs["addon_roles"]) == set(wanted)
    for role, addon in wanted.items():
        binding = inputs["addon_roles"].get(role) or {"namespace": inputs["service_accounts"][role]["namespace"],
                                                      "service_account": inputs["service_accounts"][role]["name"]}
        assert (binding["namespace"], binding["service_account"]) == (addon.namespace, addon.service_account)


def test_the_service_account_of_each_role_is_the_one_its_chart_creates():
    for addon in addons():
        if addon.irsa:
            text = yaml.safe_dump(addon.values)
            assert f"name: {addon.service_account}" in text, addon.name
            assert "eks.amazonaws.com/role-arn: ${irsa.role_arn}" in text, addon.name


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "other"}, "differs from the file name"),
    ({"chart": {"repository": "https://x"}}, "needs `chart` with repository, name and version"),
    ({"irsa": {"role": "admin"}}, "irsa.role must be one of modules/iam's roles"),
    ({"irsa": {"role": "metrics-server", "policy": "administrator"}}, "irsa.policy must be one of"),
    ({"local": {"capable": False}}, "says why"),
    ({"local": {"capable": True, "crds": ["x/*.yaml"]}}, "names the Go module"),
    ({"environments": {"qa": {}}}, "unknown environments"),
    ({"generated": ["kibana-dashboards"]}, "unknown generated manifests"),
    ({"valuez": {}}, r"unknown \['valuez'\]"),
])
def test_a_wrong_file_is_refused_naming_it(tmp_path, change, message):
    document = yaml.safe_load((CATALOGUE / "metrics-server.yaml").read_text())
    document.pop("module")
    document.update(change)
    if "local" not in change:
        document["local"] = {"capable": False, "reason": "test"}
    path = tmp_path / "metrics-server.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(Refused, match=message):
        load(path)
