"""gitops.bootstrap applies the bootstrap manifests as one Helm release through a kubeconfig. Without a cluster
here, the chart it builds is rendered by the pinned helm (`helm template`) and checked; the live apply is run
against the local control plane (tbyte/cluster)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.gitops import bootstrap
from tbyte.gitops.render import write
from tbyte.helm.render import helm_binary, helm_environment
from tests.gitops.conftest import documents


@pytest.fixture(scope="module")
def bootstrap_chart(rendered, tmp_path_factory):
    work = tmp_path_factory.mktemp("bootstrap")
    write(rendered("prod").part("bootstrap/"), work / "rendered")
    return bootstrap.chart(work / "rendered", work / "chart")


def test_the_release_installs_the_crds_first_and_everything_else_verbatim(bootstrap_chart, rendered):
    assert sorted(path.name for path in (bootstrap_chart / "crds").iterdir()) == [
        "application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"]
    result = subprocess.run([str(helm_binary()), "template", bootstrap.RELEASE, str(bootstrap_chart),
                             "--namespace", "argocd"], capture_output=True, text=True, env=helm_environment())
    assert result.returncode == 0, result.stderr
    manifests = documents(result.stdout)
    kinds = [document["kind"] for document in manifests]
    assert "CustomResourceDefinition" not in kinds  # from crds/, never twice
    assert {"Deployment", "StatefulSet", "ConfigMap", "Secret", "Application"} <= set(kinds)
    expected = [d for name, text in rendered("prod").part("bootstrap/").items() if not name.startswith("crds/")
                for d in documents(text)]
    assert len(manifests) == len(expected)
    (root,) = [d for d in manifests if d["kind"] == "Application"]
    assert root["spec"]["source"]["path"] == "platform/gitops/prod"


def test_the_apply_command_targets_the_kubeconfig_and_waits():
    command = bootstrap.apply_command(paths.ROOT / "chart", paths.ROOT / "kubeconfig", "ctx", "helm")
    assert command[:4] == ["helm", "upgrade", "--install", "argocd-bootstrap"]
    assert {"--namespace", "argocd", "--create-namespace", "--wait", "--kubeconfig"} <= set(command)
    assert command[-2:] == ["--kube-context", "ctx"]


def test_a_missing_kubeconfig_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(Refused, match="no such file"):
        bootstrap.apply(tmp_path, tmp_path / "kubeconfig")


def test_bootstrap_refuses_example_outputs_for_an_aws_environment(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    result = subprocess.run([sys.executable, "-m", "invoke", "gitops.bootstrap", "--env", "prod", "--kubeconfig",
                             str(kubeconfig), "--outputs-file", str(paths.HELM / "examples" / "outputs-prod.json")],
                            cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "example outputs" in result.stderr
