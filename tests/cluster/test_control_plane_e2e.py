"""The local control plane on its own: start is idempotent and ready for workloads, stop leaves no process."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tbyte.core import paths
from tbyte.emulator.manager import Emulator, free_port
from tests.conftest import LocalPlatform, run_invoke

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("control-plane")]


@pytest.fixture(scope="module")
def settings_env(tmp_path_factory):
    env = {"INVOKE_TBYTE_KUBE_PORT": str(free_port()), "INVOKE_TBYTE_EMULATOR_PORT": str(free_port()),
           "INVOKE_TBYTE_PLANS_DIR": str(tmp_path_factory.mktemp("plans"))}
    yield env
    LocalPlatform(Emulator(port=int(env["INVOKE_TBYTE_EMULATOR_PORT"])), env).remove()


def invoke(env, *args):
    result = run_invoke(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_start_is_idempotent_ready_and_stop_leaves_no_process(settings_env):
    invoke(settings_env, "cluster.start")
    first = json.loads(invoke(settings_env, "cluster.status", "--json").stdout)
    assert first["ready"] is True, first
    assert first["endpoint"] == f"https://127.0.0.1:{settings_env['INVOKE_TBYTE_KUBE_PORT']}"
    assert set(first["components"]) == {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
                                        "kwok", "argo-rollouts", "canary-signals"}
    assert os.stat(first["kubeconfig"]).st_mode & 0o077 == 0, "the admin kubeconfig is readable by its owner only"

    invoke(settings_env, "cluster.start")
    second = json.loads(invoke(settings_env, "cluster.status", "--json").stdout)
    assert {n: c["pid"] for n, c in second["components"].items()} == \
           {n: c["pid"] for n, c in first["components"].items()}, "a second start leaves the running ones alone"

    kubeconfig = first["kubeconfig"]
    nodes = kubectl_json(kubeconfig, "get", "nodes", "-o", "json")
    assert [node["metadata"]["labels"]["node.kubernetes.io/instance-type"] for node in nodes["items"]] == ["t3.medium"]
    assert all(condition["status"] == "True" for node in nodes["items"] for condition in node["status"]["conditions"]
               if condition["type"] == "Ready")
    crds = {item["metadata"]["name"] for item in kubectl_json(kubeconfig, "get", "crd", "-o", "json")["items"]}
    assert {"rollouts.argoproj.io", "analysistemplates.argoproj.io", "externalsecrets.external-secrets.io",
            "servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com"} <= crds

    invoke(settings_env, "cluster.stop")
    stopped = json.loads(invoke(settings_env, "cluster.status", "--json").stdout)
    assert not any(component["running"] for component in stopped["components"].values())
    assert not [pid for pid in (c["pid"] for c in first["components"].values()) if alive(pid)]
    again = invoke(settings_env, "cluster.stop")
    assert "no process of the local control plane was running" in again.stdout


def kubectl_json(kubeconfig, *args):
    result = subprocess.run([str(paths.BIN / "kubectl"), f"--kubeconfig={kubeconfig}", *args], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)
