"""Bad values are refused: every bad values file fails `helm template` with a message that names the problem."""

from __future__ import annotations

import copy
import subprocess

import pytest
import yaml

from tbyte.helm import commands as helm_commands
from tbyte.helm import outputs as helm_outputs
from tbyte.helm import releases as helm_releases
from tbyte.helm import render as helm_render
from tests.helm.conftest import environment


def prod_values(release: str) -> dict:
    (planned,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), release)
    return copy.deepcopy(planned.values)


def template(helm_bin, values: dict, tmp_path) -> subprocess.CompletedProcess:
    (release,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "api")
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return subprocess.run(helm_commands.template_command(release, path, helm_bin), capture_output=True, text=True,
                          env=helm_render.helm_environment())


def drop(values: dict, dotted: str) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        values = values[key]
    del values[last]


def put(values: dict, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        values = values.setdefault(key, {})
    values[last] = value


# (case, changes {dotted key: value, or DROP}, words the error must contain)
DROP = object()
BAD = [
    ("replicas of the wrong type", {"replicaCount": "two"}, ["/replicaCount", "got string, want integer"]),
    ("HPA bound of the wrong type", {"autoscaling.maxReplicas": 2.5}, ["/autoscaling/maxReplicas"]),
    ("no image tag nor digest", {"image.tag": "", "image.digest": ""}, ["/image", "anyOf"]),
    ("no image tag key at all", {"image.tag": DROP, "image.digest": DROP}, ["/image", "tag"]),
    ("tag latest", {"image.tag": "latest", "image.digest": ""}, ["/image/tag"]),
    ("tag Latest", {"image.tag": "Latest"}, ["/image/tag"]),
    ("pull policy Always", {"image.pullPolicy": "Always"}, ["/image/pullPolicy"]),
    ("replicas below the PDB minimum", {"autoscaling.enabled": False, "replicaCount": 1,
                                        "podDisruptionBudget.minAvailable": 2},
     ["/replicaCount", "minimum: got 1, want 2"]),
    ("HPA minimum below the PDB minimum", {"autoscaling.minReplicas": 2, "podDisruptionBudget.minAvailable": 3},
     ["/autoscaling/minReplicas", "minimum: got 2, want 3"]),
    ("no resources", {"resources": DROP}, ["/resources", "missing properties 'requests', 'limits'"]),
    ("empty resources", {"resources": {}}, ["/resources", "missing properties 'requests', 'limits'"]),
    ("no limits", {"resources.limits": DROP}, ["/resources", "limits"]),
    ("no memory request", {"resources.requests.memory": DROP}, ["/resources/requests", "memory"]),
    ("a probe missing", {"probes.liveness": None}, ["/probes"]),
    ("root user", {"securityContext.runAsUser": 0}, ["/securityContext/runAsUser"]),
    ("network policy off", {"networkPolicy.enabled": False}, ["/networkPolicy/enabled"]),
    ("a misspelt key", {"replicas": 3}, ["additional properties 'replicas'"]),
    ("an IRSA role that is no role ARN", {"serviceAccount.roleArn": "tbyte-app"}, ["/serviceAccount/roleArn"]),
    ("an external secret without its key", {"externalSecret.remoteKey": ""}, ["/externalSecret/remoteKey"]),
]
BAD_FRONTEND = [
    ("an ingress without certificate", {"ingress.certificateArn": ""}, ["/ingress/certificateArn"]),
    ("an ingress without host", {"ingress.host": ""}, ["/ingress/host"]),
]


def apply(values: dict, changes: dict) -> dict:
    values = copy.deepcopy(values)
    for key, value in changes.items():
        if value is DROP:
            drop(values, key)
        else:
            put(values, key, value)
    return values


def test_the_good_values_render(helm_bin, tmp_path):
    result = template(helm_bin, prod_values("api"), tmp_path)
    assert result.returncode == 0, result.stderr


CASES = [("api", *case) for case in BAD] + [("frontend", *case) for case in BAD_FRONTEND]


@pytest.mark.parametrize(("release", "case", "changes", "words"), CASES, ids=[case[1] for case in CASES])
def test_bad_values_are_refused(release, case, changes, words, helm_bin, tmp_path):
    result = template(helm_bin, apply(prod_values(release), changes), tmp_path)
    assert result.returncode != 0, f"{case}: rendered"
    assert "values don't meet the specifications of the schema" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize(("case", "changes", "message"), [
    ("a budget as large as the fewest replicas", {"podDisruptionBudget.minAvailable": 3},
     "no node could ever be drained"),
    ("HPA maximum below its minimum", {"autoscaling.minReplicas": 4, "autoscaling.maxReplicas": 3},
     "autoscaling.maxReplicas (3) is below autoscaling.minReplicas (4)"),
    ("plain secret next to the external one", {"secret.stringData": {"password": "x"}},
     "secret.stringData and externalSecret.enabled exclude each other"),
])
def test_rules_across_values_are_enforced_by_the_templates(case, changes, message, helm_bin, tmp_path):
    result = template(helm_bin, apply(prod_values("api"), changes), tmp_path)
    assert result.returncode != 0, f"{case}: rendered"
    assert message in result.stderr, result.stderr


def test_a_canary_needs_argo_rollouts_in_the_cluster(helm_bin, tmp_path):
    (release,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "api")
    release.api_versions = ("external-secrets.io/v1",)
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(release.values))
    result = subprocess.run(helm_commands.template_command(release, path, helm_bin), capture_output=True, text=True)
    assert result.returncode != 0
    assert "canary.enabled (an Argo Rollouts Rollout) needs the API argoproj.io/v1alpha1" in result.stderr
