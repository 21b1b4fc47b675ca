"""The tenancy tasks as a user runs them: every refusal is one line `error: ...` and exit 1, before any request;
the offline tasks print the declared matrix and the chart."""

from __future__ import annotations

import json

import pytest
import yaml

from tbyte.tenancy import check
from tbyte.tenancy.model import tenancy
from tests.conftest import run_invoke


def refused(*args, env=None, unset=()) -> str:
    result = run_invoke(*args, env=env, unset=unset)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def kubeconfig(tmp_path, server="https://127.0.0.1:1", **cluster) -> str:
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": server, **cluster}}],
        "users": [{"name": "test", "user": {"token": "not-a-real-token"}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test"}}]}))
    return str(path)


def test_an_unknown_environment_is_refused():
    assert "--env: unknown environment 'qa'" in refused("tenancy.check", "--env", "qa")
    assert "--env: unknown environment '../x'" in refused("tenancy.matrix", "--env", "../x")


def test_local_without_its_control_plane_or_a_kubeconfig_is_refused(free_port):
    env = {"INVOKE_TBYTE_KUBE_PORT": str(free_port)}
    for task in ("tenancy.check", "tenancy.install"):
        line = refused(task, "--env", "local", env=env)
        assert f"the local control plane (https://127.0.0.1:{free_port}) was never started: `invoke up`" in line


def test_an_aws_environment_without_a_kubeconfig_is_refused(tmp_path):
    line = refused("tenancy.check", "--env", "dev", env={"HOME": str(tmp_path)}, unset=("KUBECONFIG",))
    assert f"no kubeconfig at {tmp_path}/.kube/config" in line and "aws eks update-kubeconfig --name tbyte-dev" in line


@pytest.mark.parametrize(("setup", "message"), [
    (lambda tmp: str(tmp / "missing"), "--kubeconfig {tmp}/missing: no such file"),
    (lambda tmp: (tmp / "bad").write_text("clusters: [") and str(tmp / "bad"), "is not a kubeconfig (invalid YAML)"),
    (lambda tmp: kubeconfig(tmp, **{"insecure-skip-tls-verify": True}), "skips TLS verification; refused"),
    (lambda tmp: kubeconfig(tmp, server="http://127.0.0.1:1"), "has no https server"),
    (lambda tmp: kubeconfig(tmp), "cannot be reached"),
])
def test_bad_kubeconfigs_are_refused(tmp_path, setup, message):
    path = setup(tmp_path)
    assert message.format(tmp=tmp_path) in refused("tenancy.check", "--env", "dev", "--kubeconfig", path)


def test_an_unknown_context_is_refused(tmp_path):
    line = refused("tenancy.install", "--env", "dev", "--kubeconfig", kubeconfig(tmp_path), "--kube-context", "prod")
    assert "--kube-context: no context 'prod'" in line and "its contexts: test" in line


def test_the_declared_matrix_prints_offline_as_json():
    result = run_invoke("tenancy.matrix", "--env", "prod", "--json")
    assert result.returncode == 0, result.stderr
    cells = json.loads(result.stdout)["cells"]
    assert len(cells) == len(check.cells_to_ask(tenancy("prod")))
    subjects = {cell["subject"] for cell in cells}
    assert "core-read-only" in subjects and not any(s.endswith("team-developer") for s in subjects)
    assert {cell["expected"] for cell in cells} == {True, False}


def test_the_chart_renders_offline_and_is_never_written_over_a_file(tmp_path):
    result = run_invoke("tenancy.template", "--env", "stage")
    assert result.returncode == 0, result.stderr
    kinds = {document["kind"] for document in yaml.safe_load_all(result.stdout) if document}
    assert {"Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "Role", "RoleBinding", "ClusterRole",
            "ClusterRoleBinding"} == kinds
    values = run_invoke("tenancy.template", "--env", "stage", "--values")
    assert yaml.safe_load(values.stdout)["environment"] == "stage"
    existing = tmp_path / "out.yaml"
    existing.write_text("keep")
    assert "already exists" in refused("tenancy.template", "--env", "stage", "--output", str(existing))
    assert existing.read_text() == "keep"


def exec_kubeconfig(tmp_path, command: str, args=()) -> str:
    path = tmp_path / "exec-kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "eks",
        "clusters": [{"name": "eks", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "eks", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1",
                                                    "command": command, "args": list(args)}}}],
        "contexts": [{"name": "eks", "context": {"cluster": "eks", "user": "eks"}}]}))
    return str(path)


def test_the_exec_plugin_of_an_eks_kubeconfig_is_run_and_its_failures_refused(tmp_path):
    missing = exec_kubeconfig(tmp_path, "tbyte-no-such-plugin")
    assert "the exec plugin 'tbyte-no-such-plugin' is not on PATH" in refused(
        "tenancy.check", "--env", "prod", "--kubeconfig", missing)
    failing = exec_kubeconfig(tmp_path, "sh", ["-c", "echo expired token >&2; exit 255"])
    assert "the exec plugin sh failed: expired token" in refused("tenancy.check", "--env", "prod", "--kubeconfig",
                                                                 failing)
    credential = '{"kind": "ExecCredential", "status": {"token": "k8s-aws-v1.fake"}}'
    working = exec_kubeconfig(tmp_path, "sh", ["-c", f"echo '{credential}'"])
    assert "(context eks) cannot be reached" in refused("tenancy.check", "--env", "prod", "--kubeconfig", working)
