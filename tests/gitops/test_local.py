"""What the local control plane installs for real (tbyte/cluster calls local.install_steps): each local-capable
add-on from its pinned Go module, CRDs first; the others are rendered and validated only."""

from __future__ import annotations

from tbyte.core.environment import Environment
from tbyte.gitops import local
from tbyte.helm.outputs import example_outputs


def test_the_install_steps_come_from_the_pinned_modules():
    steps = {step.name: step for step in local.install_steps(Environment.resolve("local"), example_outputs("local"))}
    assert list(steps) == [addon.name for addon in local.local_addons()]
    assert list(steps)[:2] == ["external-secrets", "kube-prometheus-stack"]  # the CRD providers first
    assert steps["argo-rollouts"].source == "github.com/argoproj/argo-rollouts@v1.8.3"
    assert [path.name for path in steps["argo-rollouts"].manifests] == ["install.yaml"]
    assert len(steps["kube-prometheus-stack"].crds) == 10 and not steps["kube-prometheus-stack"].chart
    assert (steps["metrics-server"].chart / "Chart.yaml").is_file()
    assert (steps["external-secrets"].chart / "Chart.yaml").is_file() and steps["external-secrets"].crds
    assert {path.name for path in steps["argo-cd"].crds} == {"application-crd.yaml", "applicationset-crd.yaml",
                                                             "appproject-crd.yaml"}


def test_local_chart_values_are_resolved_and_keep_the_module_crds():
    step = local.install_step(next(a for a in local.local_addons() if a.name == "external-secrets"),
                              Environment.resolve("local"), example_outputs("local"))
    assert step.values["installCRDs"] is False  # the CRDs come from config/crds/bases
    assert step.values["serviceAccount"]["annotations"]["eks.amazonaws.com/role-arn"] == \
        "arn:aws:iam::123456789012:role/tbyte-local-external-secrets"
    assert "${" not in repr(step.values)


def test_every_other_add_on_says_why_it_is_rendered_only():
    others = dict(local.not_local_addons())
    assert set(others) == {"aws-load-balancer-controller", "cluster-autoscaler", "grafana", "jaeger",
                           "opentelemetry-collector"}
    assert all(others.values())
