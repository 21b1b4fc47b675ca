"""gitops.render: the full platform of an environment; git's part holds no Terraform output and is current."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import addons
from tbyte.gitops.metadata import enable_label
from tbyte.gitops.render import apps, git_folder
from tbyte.gitops.settings import settings
from tests.gitops.conftest import documents


def test_invoke_gitops_render_writes_the_full_prod_platform(tmp_path):
    result = subprocess.run([sys.executable, "-m", "invoke", "gitops.render", "--env", "prod", "--output",
                             str(tmp_path)], cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = {str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.yaml")}
    assert {"bootstrap/argo-cd.yaml", "bootstrap/cluster-secret.yaml", "bootstrap/root.yaml",
            "bootstrap/crds/application-crd.yaml", "bootstrap/crds/applicationset-crd.yaml",
            "bootstrap/crds/appproject-crd.yaml", "apps/project.yaml"} <= written
    for addon in addons():
        if not addon.is_bootstrap:
            assert f"apps/addons/{addon.name}.yaml" in written
    assert {"apps/services/frontend.yaml", "apps/services/api.yaml", "apps/services/worker.yaml"} <= written
    assert "apps/manifests/kube-prometheus-stack/prometheusrule-platform-kubernetes.yaml" in written
    assert "apps/manifests/grafana/configmap-dashboard-service-red-slo.yaml" in written
    # prod runs Argo CD's highly available installation
    assert "argocd-redis-ha" in (tmp_path / "bootstrap/argo-cd.yaml").read_text()


def test_a_second_render_removes_what_the_catalogue_no_longer_has_and_nothing_else(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "apps" / "addons").mkdir(parents=True)
    (tmp_path / "apps" / "addons" / "removed.yaml").write_text("old")
    subprocess.run([sys.executable, "-m", "invoke", "gitops.render", "--env", "dev", "--output", str(tmp_path)],
                   cwd=paths.ROOT, capture_output=True, text=True, check=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "apps" / "addons" / "removed.yaml").exists()


@pytest.mark.parametrize("env", settings().environments)
def test_the_committed_git_part_is_current(env):
    """platform/gitops/<env> is what Argo CD reads: it must be what `invoke gitops.render --env E` writes."""
    folder = git_folder(env)
    committed = {str(path.relative_to(folder)): path.read_text() for path in folder.rglob("*.yaml")}
    assert committed == apps(Environment.resolve(env)), f"run: invoke gitops.render --env {env}"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_git_part_holds_no_terraform_output(env, rendered):
    outputs = json.loads((paths.HELM / "examples" / f"outputs-{env}.json").read_text())
    text = "\n".join(rendered(env).part("apps/").values())
    values = [outputs["eks"]["cluster_name"], outputs["vpc"]["vpc_id"], outputs["rds"]["address"],
              outputs["iam"]["app_role_arn"], outputs["iam"]["service_accounts"]["grafana"]["role_arn"]]
    assert not [value for value in values if value in text]
    assert "{{ .metadata.annotations.tbyte_rds_address | toJson }}" in text


def test_the_cluster_secret_hands_over_what_terraform_knows(rendered):
    (secret,) = documents(rendered("prod").files["bootstrap/cluster-secret.yaml"])
    annotations, labels = secret["metadata"]["annotations"], secret["metadata"]["labels"]
    assert labels["argocd.argoproj.io/secret-type"] == "cluster" and labels["tbyte.io/environment"] == "prod"
    assert annotations["aws_account_id"] == "333333333333" and annotations["aws_region"] == "eu-central-1"
    assert annotations["aws_cluster_name"] == "tbyte-prod" and annotations["aws_vpc_id"].startswith("vpc-")
    assert annotations["aws_load_balancer_controller_iam_role_arn"].endswith(":role/tbyte-prod-alb-controller")
    assert annotations["cluster_autoscaler_iam_role_arn"].endswith(":role/tbyte-prod-cluster-autoscaler")
    assert annotations["tbyte_rds_port"] == "5432"
    assert secret["stringData"]["server"] == "https://kubernetes.default.svc"
    assert not {"password", "bearerToken", "token"} & set(json.dumps(secret["stringData"]).split('"'))


def test_every_lookup_of_the_apps_has_its_annotation_on_the_cluster_secret(rendered):
    for env in ("dev", "prod"):
        (secret,) = documents(rendered(env).files["bootstrap/cluster-secret.yaml"])
        text = "\n".join(rendered(env).part("apps/").values())
        import re

        used = set(re.findall(r"\.metadata\.annotations\.(\w+)", text))
        assert used and used <= set(secret["metadata"]["annotations"]), used - set(secret["metadata"]["annotations"])


def test_local_enables_only_the_local_capable_add_ons(rendered):
    (secret,) = documents(rendered("local").files["bootstrap/cluster-secret.yaml"])
    enabled = {label for label, value in secret["metadata"]["labels"].items() if label.startswith("enable_")}
    assert enabled == {enable_label(a) for a in addons() if a.local.capable and not a.is_bootstrap}
    (prod,) = documents(rendered("prod").files["bootstrap/cluster-secret.yaml"])
    assert sum(label.startswith("enable_") for label in prod["metadata"]["labels"]) == 9


def test_render_refuses_outputs_that_lack_what_the_platform_needs(tmp_path):
    partial = tmp_path / "outputs.json"
    outputs = json.loads((paths.HELM / "examples" / "outputs-dev.json").read_text())
    del outputs["iam"]["service_accounts"]
    partial.write_text(json.dumps(outputs))
    result = subprocess.run([sys.executable, "-m", "invoke", "gitops.render", "--env", "dev", "--output",
                             str(tmp_path / "out"), "--outputs-file", str(partial)], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "iam.service_accounts.alb_controller.role_arn" in result.stderr
    assert "Traceback" not in result.stderr


def test_local_has_no_git_part(tmp_path):
    result = subprocess.run([sys.executable, "-m", "invoke", "gitops.render", "--env", "local"], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "does not reconcile local" in result.stderr
    assert not git_folder("local").exists()
