"""The helm tasks: exact command lines per environment, fast refusals without a cluster, diff, dry runs."""

from __future__ import annotations

import json
import time

import pytest
import yaml

from tbyte.core.errors import Refused
from tbyte.helm import cluster as helm_cluster
from tbyte.helm import commands as helm_commands
from tbyte.helm import deploy as helm_deploy
from tbyte.helm import diff as helm_diff
from tbyte.helm import outputs as helm_outputs
from tbyte.helm import releases as helm_releases
from tbyte.helm import render as helm_render
from tbyte.helm import tasks as helm_tasks
from tbyte.infra import outputs as infra_outputs
from tests.helm.conftest import ENVIRONMENTS, RELEASES, environment, invoke

ACCOUNTS = {"local": "123456789012", "dev": "111111111111", "stage": "222222222222", "prod": "333333333333"}


def reachable_looking_outputs(env: str, tmp_path, port: int) -> str:
    """Outputs that are not marked as examples, whose cluster endpoint is a closed local port."""
    outputs = helm_outputs.example_outputs(env)
    outputs["eks"]["cluster_endpoint"] = f"https://127.0.0.1:{port}"
    path = tmp_path / f"{env}-outputs.json"
    path.write_text(json.dumps(outputs))
    return str(path)


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("release", RELEASES)
def test_the_deploy_command_of_each_environment(env, release):
    outputs = helm_outputs.example_outputs(env)
    (planned,) = helm_releases.releases(environment(env), outputs, release)
    target = helm_cluster.cluster(environment(env), outputs)
    context = f"arn:aws:eks:eu-central-1:{ACCOUNTS[env]}:cluster/tbyte-{env}"
    assert target.context == context
    command = helm_commands.deploy_command(planned, "/tmp/values.yaml", target.context, "/tmp/kubeconfig", helm="helm")
    assert command == [
        "helm", "upgrade", "--install", release, str(helm_commands.CHART),
        "--namespace", "tbyte", "--create-namespace",
        "--kube-context", context, "--kubeconfig", "/tmp/kubeconfig",
        "--values", "/tmp/values.yaml",
        "--atomic", "--wait", "--timeout", "10m", "--history-max", "10",
    ]


def test_the_kube_context_is_built_from_the_cluster_name_without_its_arn():
    outputs = helm_outputs.example_outputs("prod")
    del outputs["eks"]["cluster_arn"]
    assert helm_cluster.cluster(environment("prod"), outputs).context == "arn:aws:eks:eu-central-1:333333333333:cluster/tbyte-prod"
    del outputs["eks"]["cluster_endpoint"]
    with pytest.raises(Refused, match="the eks stack of prod has no cluster_endpoint output"):
        helm_cluster.cluster(environment("prod"), outputs)


def test_the_other_command_lines():
    outputs = helm_outputs.example_outputs("prod")
    (api,) = helm_releases.releases(environment("prod"), outputs, "api")
    context = "arn:aws:eks:eu-central-1:333333333333:cluster/tbyte-prod"
    assert helm_commands.rollback_command(api, context, "/k", 7) == [
        "helm", "rollback", "api", "7", "--namespace", "tbyte", "--kube-context", context, "--kubeconfig", "/k",
        "--wait", "--timeout", "10m", "--cleanup-on-fail", "--history-max", "10"]
    assert helm_commands.rollback_command(api, context, "/k")[:4] == ["helm", "rollback", "api", "--namespace"]
    assert helm_commands.status_command(api, context, "/k") == [
        "helm", "status", "api", "--namespace", "tbyte", "--kube-context", context, "--kubeconfig", "/k",
        "--output", "json"]
    assert helm_commands.get_manifest_command(api, context, "/k") == [
        "helm", "get", "manifest", "api", "--namespace", "tbyte", "--kube-context", context, "--kubeconfig", "/k"]
    assert helm_commands.template_command(api, "/v.yaml") == [
        "helm", "template", "api", str(helm_commands.CHART), "--namespace", "tbyte", "--values", "/v.yaml",
        "--kube-version", "1.35.0", "--api-versions", "argoproj.io/v1alpha1",
        "--api-versions", "external-secrets.io/v1", "--api-versions", "monitoring.coreos.com/v1"]
    assert helm_commands.lint_command(api, "/v.yaml") == [
        "helm", "lint", "--strict", str(helm_commands.CHART), "--namespace", "tbyte", "--values", "/v.yaml",
        "--kube-version", "1.35.0"]


def test_the_kubeconfig_authenticates_with_aws_eks_get_token():
    target = helm_cluster.cluster(environment("prod"), helm_outputs.example_outputs("prod"))
    config = helm_cluster.kubeconfig(target, "tbyte", helm_cluster.credentials(environment("prod"), target))
    assert config["current-context"] == target.context
    assert config["clusters"][0]["cluster"] == {
        "server": target.endpoint, "certificate-authority-data": target.certificate_authority_data}
    assert config["users"][0]["user"]["exec"]["command"] == "aws"
    assert config["users"][0]["user"]["exec"]["args"] == [
        "--region", "eu-central-1", "eks", "get-token", "--cluster-name", "tbyte-prod", "--output", "json"]
    assert config["contexts"][0]["context"]["namespace"] == "tbyte"


def test_deploy_without_a_reachable_cluster_fails_at_once(tmp_path, free_port):
    started = time.monotonic()
    result = invoke("helm.deploy", "--env", "prod", "--outputs-file", reachable_looking_outputs("prod", tmp_path,
                                                                                                free_port))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the prod cluster tbyte-prod" in result.stderr and "cannot be reached from here" in result.stderr
    assert "nothing was changed" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("task", [("helm.rollback", "--release", "api"), ("helm.status",)])
def test_rollback_and_status_need_a_reachable_cluster(task, tmp_path, free_port):
    outputs = helm_outputs.outputs_from_file(reachable_looking_outputs("stage", tmp_path, free_port))
    with pytest.raises(Refused, match="cannot be reached from here"):
        if task[0] == "helm.rollback":
            helm_deploy.rollback(environment("stage"), outputs, "api")
        else:
            helm_deploy.status(environment("stage"), outputs)


def test_deploy_refuses_example_outputs(tmp_path):
    result = invoke("helm.deploy", "--env", "dev", "--outputs-file", str(helm_outputs.example_outputs_file("dev")))
    assert result.returncode == 1
    assert "holds example outputs" in result.stderr and "nothing was deployed" in result.stderr


def test_deploy_dry_run_shows_commands_and_manifests_offline():
    printed: list[str] = []
    outputs = helm_outputs.outputs_from_file(helm_outputs.example_outputs_file("prod"))
    commands = helm_deploy.deploy(environment("prod"), outputs, dry_run=True, log=printed.append, echo=printed.append)
    assert [command[3] for command in commands] == list(RELEASES)
    text = "\n".join(printed)
    assert text.count("# ") >= 3 and "upgrade --install frontend" in text
    assert "kind: Rollout" in text and "kind: NetworkPolicy" in text


def test_client_side_dry_run_install(helm_bin, tmp_path):
    """An install rendered client side, offline, exactly as `helm upgrade --install` would send it.

    `helm install --dry-run=client` of helm 3.22 still asks the cluster for its version, so the offline dry run
    is `helm template` with the environment's Kubernetes version and add-on APIs (what `helm_deploy.deploy --dry-run`
    does); its output must parse and contain a workload for every release.
    """
    for env in ENVIRONMENTS:
        for name, text in helm_render.render_all(environment(env), helm_outputs.example_outputs(env)).items():
            kinds = [document["kind"] for document in yaml.safe_load_all(text) if document]
            assert ("Deployment" in kinds) != ("Rollout" in kinds), (env, name, kinds)


def test_diff_against_the_previous_render(tmp_path, helm_bin):
    outputs = helm_outputs.outputs_from_file(helm_outputs.example_outputs_file("stage"))
    helm_render.write_rendered(environment("stage"), helm_render.render_all(environment("stage"), outputs.values), tmp_path)
    assert not any(result.changed for result in helm_diff.diff(environment("stage"), outputs, previous=tmp_path, log=lambda m: None))

    api = tmp_path / "api.yaml"
    api.write_text(api.read_text().replace("minReplicas: 2", "minReplicas: 5"))
    (tmp_path / "worker.yaml").unlink()
    messages: list[str] = []
    results = {result.release: result for result in helm_diff.diff(environment("stage"), outputs, previous=tmp_path,
                                                              log=messages.append)}
    assert not results["frontend"].changed
    assert "-  minReplicas: 5\n+  minReplicas: 2\n" in results["api"].text
    assert results["api"].text.startswith(f"--- {tmp_path / 'api.yaml'}\n+++ rendered:api\n")
    assert results["worker"].changed and "no previous render of worker" in " ".join(messages)


def test_diff_task_exit_code(tmp_path):
    outputs_file = str(helm_outputs.example_outputs_file("dev"))
    helm_render.write_rendered(environment("dev"), helm_render.render_all(environment("dev"), helm_outputs.example_outputs("dev"), "worker"), tmp_path)
    same = invoke("helm.diff", "--env", "dev", "--release", "worker", "--outputs-file", outputs_file,
                  "--output", str(tmp_path), "--exit-code")
    assert same.returncode == 0 and "worker: no change" in same.stderr, same.stderr
    (tmp_path / "worker.yaml").write_text("")
    changed = invoke("helm.diff", "--env", "dev", "--release", "worker", "--outputs-file", outputs_file,
                     "--output", str(tmp_path), "--exit-code")
    assert changed.returncode == 2 and "+kind: Deployment" in changed.stdout


def test_without_outputs_an_aws_environment_points_to_the_examples(monkeypatch):
    def no_credentials(env):
        raise Refused(f"environment {env} (AWS account 333333333333) needs AWS credentials; nothing was run")

    monkeypatch.setattr(infra_outputs, "output", no_credentials)
    with pytest.raises(Refused) as refused:
        helm_outputs.load_outputs(environment("prod"), log=lambda message: None)
    assert "needs AWS credentials" in str(refused.value)
    assert "--outputs-file helm/examples/outputs-prod.json" in str(refused.value)


def test_every_task_explains_itself_and_each_option():
    import inspect


    tasks = {name: getattr(helm_tasks, name) for name in ("lint", "template", "diff", "deploy", "rollback", "status")}
    for name, task in tasks.items():
        assert (task.__doc__ or "").strip(), name
        options = list(inspect.signature(task.body).parameters)[1:]
        assert options, name
        for option in options:
            assert task.help.get(option.replace("_", "-")), f"helm.{name} --{option} has no help"
    listed = invoke("--list")
    assert all(f"helm.{name}" in listed.stdout for name in tasks), listed.stdout


def test_unknown_environment_is_refused_by_the_tasks():
    result = invoke("helm.template", "--env", "qa")
    assert result.returncode == 1 and "unknown environment 'qa'" in result.stderr


def test_deploy_can_promote_one_freshly_built_image(capsys):

    digest = "sha256:" + "b" * 64
    outputs = helm_outputs.outputs_from_file(helm_outputs.example_outputs_file("dev"))
    commands = helm_deploy.deploy(environment("dev"), outputs, "api", dry_run=True, echo=print,
                                  image={"tag": "0123abc", "digest": digest})
    assert len(commands) == 1
    assert f":0123abc@{digest}" in capsys.readouterr().out


def test_an_image_override_needs_one_release():
    outputs = helm_outputs.outputs_from_file(helm_outputs.example_outputs_file("dev"))
    with pytest.raises(Refused, match="--release"):
        helm_deploy.deploy(environment("dev"), outputs, None, dry_run=True, image={"tag": "0123abc"})
