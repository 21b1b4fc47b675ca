"""Alertmanager's routing per environment, checked by amtool (the pinned build of tools/amtool): prod pages for
critical alerts, every other alert (and every alert of the other environments) goes to chat; the receivers'
credentials come from files of a Secret, never from the configuration."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import addon
from tbyte.gitops.references import resolve_env

ROUTES = [
    ("prod", "critical", "pager,chat"),
    ("prod", "warning", "chat"),
    ("prod", "info", "chat"),
    ("stage", "critical", "chat"),
    ("dev", "critical", "chat"),
    ("local", "critical", "chat"),
]


def config_file(env: str, directory) -> str:
    stack = addon("kube-prometheus-stack")
    config = resolve_env(stack.values_for(env)["alertmanager"]["config"], Environment.resolve(env), stack)
    path = directory / f"alertmanager-{env}.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


@pytest.mark.parametrize("env", ["local", "dev", "stage", "prod"])
def test_the_configuration_of_every_environment_is_valid(amtool, env, tmp_path):
    result = subprocess.run([str(amtool), "check-config", config_file(env, tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("env", "severity", "receivers"), ROUTES)
def test_routing(amtool, env, severity, receivers, tmp_path):
    result = subprocess.run([str(amtool), "config", "routes", "test", "--config.file", config_file(env, tmp_path),
                             f"--verify.receivers={receivers}", f"severity={severity}", "alertname=Any",
                             "service=api"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_receivers_read_their_credentials_from_the_mounted_secret():
    stack = addon("kube-prometheus-stack")
    for env in ("dev", "prod"):
        receivers = stack.values_for(env)["alertmanager"]["config"]["receivers"]
        for receiver in receivers:
            for kind, configs in receiver.items():
                if kind == "name":
                    continue
                for config in configs:
                    secret_keys = {key for key in config if key.endswith("_file")}
                    assert secret_keys, (env, receiver["name"])
                    assert not {"api_url", "routing_key", "service_key"} & set(config)
                    assert all(config[key].startswith("/etc/alertmanager/secrets/alertmanager-receivers/")
                               for key in secret_keys)
    assert stack.values["alertmanager"]["alertmanagerSpec"]["secrets"] == ["alertmanager-receivers"]
