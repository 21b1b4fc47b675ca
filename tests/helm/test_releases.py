"""Release files: references to the infrastructure are resolved from the outputs given, never copied by hand."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from tbyte.core.errors import Refused
from tbyte.core.values import deep_merge
from tbyte.helm import outputs as helm_outputs
from tbyte.helm import releases as helm_releases
from tests.helm.conftest import ENVIRONMENTS, environment, invoke, one

INFRASTRUCTURE_VALUES = re.compile(
    r"arn:aws:iam::|\.rds\.amazonaws\.com|\.eks\.amazonaws\.com|tbyte/\w+/database|arn:aws:wafv2:|\.dkr\.ecr\.|"
    r"\.cache\.amazonaws\.com|tbyte/\w+/redis")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_release_files_copy_nothing_from_the_infrastructure(env):
    text = helm_releases.release_file(env).read_text()
    assert not INFRASTRUCTURE_VALUES.search(text), INFRASTRUCTURE_VALUES.search(text).group(0)
    for reference in ("${iam.app_role_arn}", "${rds.address}", "${rds.port}", "${rds.secret_name}", "${vpc.vpc_cidr}",
                      "${edge.web_acl_arn}", "${ecr.repository_urls.api}", "${elasticache.primary_endpoint_address}",
                      "${elasticache.secret_name}"):
        assert reference in text
    # A certificate from the edge stack wherever env.hcl names a domain; the emulator serves none.
    assert ("${edge.certificate_arn}" in text) == (env != "local")


def test_a_whole_reference_keeps_its_type_and_a_partial_one_becomes_text():
    scopes = {"rds": {"port": 5432, "address": "db.example"}, "env": {"region": "eu-central-1"}}
    problems: list[str] = []
    resolved = helm_releases.resolve({"port": "${rds.port}", "url": "postgres://${rds.address}:${rds.port}/x",
                             "list": ["${env.region}", 3], "plain": "no $ reference"}, scopes, problems)
    assert resolved == {"port": 5432, "url": "postgres://db.example:5432/x", "list": ["eu-central-1", 3],
                        "plain": "no $ reference"}
    assert problems == []


def test_nested_outputs_can_be_referenced():
    scopes = {"iam": {"service_accounts": {"app": {"namespace": "tbyte", "name": "api"}}}, "vpc": {"azs": ["a", "b"]}}
    problems: list[str] = []
    assert helm_releases.resolve("${iam.service_accounts.app.name}/${vpc.azs.1}", scopes, problems) == "api/b"


@pytest.mark.parametrize(("value", "scopes", "problem"), [
    ("${iam.app_role_arn}", {"iam": {}}, "iam has no 'app_role_arn'"),
    ("${rds.address}", {}, "no stack, env or settings named 'rds'"),
    ("${rds.secret_name}", {"rds": {"secret_name": "(sensitive)"}}, "sensitive"),
    ("${rds.address", {"rds": {"address": "x"}}, "malformed reference"),
])
def test_unresolvable_references_are_reported(value, scopes, problem):
    problems: list[str] = []
    helm_releases.resolve(value, scopes, problems)
    assert len(problems) == 1 and problem in problems[0], problems


def test_missing_outputs_name_every_reference_and_the_way_out():
    outputs = copy.deepcopy(helm_outputs.example_outputs("prod"))
    del outputs["iam"]
    del outputs["rds"]["secret_name"]
    with pytest.raises(Refused) as refused:
        helm_releases.releases(environment("prod"), outputs)
    message = str(refused.value)
    assert "${iam.app_role_arn}" in message and "${rds.secret_name}" in message
    assert "--outputs-file helm/examples/outputs-prod.json" in message
    assert sorted(helm_releases.unresolved(environment("prod"), outputs)) == ["${iam.app_role_arn}", "${rds.secret_name}"]


def test_defaults_are_merged_under_each_release():
    (frontend,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "frontend")
    (worker,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "worker")
    assert frontend.values["canary"] == {"enabled": True}
    assert worker.values["canary"] == {"enabled": False}
    assert frontend.values["topologySpread"]["zone"] == "DoNotSchedule"
    assert frontend.values["environment"] == "prod"
    assert frontend.values["image"]["repository"] == "333333333333.dkr.ecr.eu-central-1.amazonaws.com/tbyte/frontend"
    assert deep_merge({"a": {"b": 1, "c": [1]}}, {"a": {"c": [2]}}) == {"a": {"b": 1, "c": [2]}}


def test_unknown_environment_and_release_are_refused():
    with pytest.raises(Refused, match="unknown environment 'qa'.*dev, local, prod, stage"):
        helm_releases.release_file("qa")
    with pytest.raises(Refused, match="unknown environment '../releases/prod'"):
        helm_releases.release_file("../releases/prod")
    with pytest.raises(Refused, match="unknown release 'billing' in prod; the releases are: frontend, api, worker"):
        helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "billing")


def test_the_irsa_annotation_is_the_output_given_to_the_task(tmp_path):
    """End to end through `invoke helm.template`: the role ARN comes from the outputs file, whatever it holds."""
    outputs = helm_outputs.example_outputs("stage")
    outputs["iam"]["app_role_arn"] = "arn:aws:iam::222222222222:role/irsa-from-the-outputs-file"
    outputs["rds"]["secret_name"] = "tbyte/stage/database-from-the-outputs-file"
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(outputs))
    result = invoke("helm.template", "--env", "stage", "--release", "api", "--outputs-file", str(outputs_file),
                    "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["api.yaml"]
    documents = [d for d in yaml.safe_load_all((tmp_path / "out" / "api.yaml").read_text()) if d]
    account = one(documents, "ServiceAccount", "api")
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == outputs["iam"]["app_role_arn"]
    external = one(documents, "ExternalSecret", "api")
    assert external["spec"]["dataFrom"][0]["extract"]["key"] == outputs["rds"]["secret_name"]


def test_local_falls_back_to_the_example_outputs_when_its_stacks_are_not_applied(monkeypatch):
    def unavailable(env):
        raise Refused("the emulator is not running")

    monkeypatch.setattr(helm_outputs, "infrastructure_outputs", unavailable)
    messages: list[str] = []
    outputs = helm_outputs.load_outputs(environment("local"), log=messages.append)
    assert outputs.example and outputs.values == helm_outputs.example_outputs("local")
    assert "example outputs" in messages[0]


def test_other_environments_never_fall_back_to_example_outputs(monkeypatch):
    def unavailable(env):
        raise Refused(f"environment {env} needs AWS credentials")

    monkeypatch.setattr(helm_outputs, "infrastructure_outputs", unavailable)
    with pytest.raises(Refused, match="needs AWS credentials"):
        helm_outputs.load_outputs(environment("prod"), log=lambda message: None)


def test_local_uses_the_real_outputs_when_they_are_complete(monkeypatch):
    real = copy.deepcopy(helm_outputs.example_outputs("local"))
    real["iam"]["app_role_arn"] = "arn:aws:iam::123456789012:role/from-the-emulator"
    monkeypatch.setattr(helm_outputs, "infrastructure_outputs", lambda env: helm_outputs.Outputs(real, "state"))
    outputs = helm_outputs.load_outputs(environment("local"), log=lambda message: None)
    assert not outputs.example and outputs.values["iam"]["app_role_arn"].endswith("from-the-emulator")
