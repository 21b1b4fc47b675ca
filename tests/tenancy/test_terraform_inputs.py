"""The AWS side reads the same declaration: the iam and eks-access stacks' inputs (terragrunt/tenancy.hcl, in HCL)
are exactly the groups tbyte/tenancy derives (in Python), in every environment; and the AWS environments' clusters
get the authentication mode access entries need, in an override that provider 6.25 accepts."""

from __future__ import annotations

import functools

import pytest

from tbyte.core import hcl
from tbyte.core.environment import Environment
from tbyte.infra.graph import render
from tbyte.tenancy.model import tenancy
from tbyte.toolchain import provider_schema
from tests.modules.test_provider_schema import check_file
from tests.tenancy.conftest import ENVIRONMENTS


@functools.cache
def rendered(env: str, stack: str) -> dict:
    return render(Environment.resolve(env), stack)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_iam_stack_creates_the_declared_group_roles(env):
    declared = tenancy(env)
    expected = {
        group.key: {"role_name": group.role_name, "team": group.team, "members": list(group.members),
                    "require_mfa": group.level.mfa, "max_session_hours": group.level.max_session_hours,
                    "break_glass": group.level.name == "break-glass", "description": group.level.description.strip()}
        for group in declared.groups}
    inputs = rendered(env, "iam")["inputs"]
    assert inputs["access_groups"] == expected
    alarm = inputs["break_glass_alarm"]
    assert alarm["cloudtrail_log_group_name"] and len(alarm["alarm_actions"]) == 1
    assert alarm["alarm_actions"][0].endswith(f":{declared.account_id}:tbyte-{env}-alarms")


@pytest.mark.parametrize("env", [env for env in ENVIRONMENTS if env != "local"])
def test_the_eks_access_stack_maps_every_group_with_its_access_policy(env):
    declared = tenancy(env)
    assert declared.access_entries
    expected = {}
    for group in declared.groups:
        policy = group.level.eks_access_policy
        expected[group.key] = {
            "principal_arn": group.role_arn,  # the iam stack's output (its mock before it is applied)
            "kubernetes_groups": [group.kubernetes_group],
            "access_policy": None if policy is None else {"name": policy, "namespaces": list(group.namespaces)},
        }
    assert rendered(env, "eks-access")["inputs"]["access_entries"] == expected
    scoped = {key: entry["access_policy"] for key, entry in expected.items() if entry["access_policy"]}
    assert scoped["break-glass"] == {"name": "AmazonEKSClusterAdminPolicy", "namespaces": []}
    assert all(policy["namespaces"] for key, policy in scoped.items() if key != "break-glass")


def test_local_has_no_access_entries_stack():
    assert not tenancy("local").access_entries
    assert not (Environment.resolve("local").terragrunt_dir / "eks-access").exists()


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_aws_clusters_get_authentication_mode_api_in_an_override_6x_accepts(env, tmp_path):
    generated = rendered(env, "eks")["generate"]["eks_access_config"]
    if env == "local":
        assert generated["disable"] is True
        return
    assert generated["disable"] is False and generated["path"].endswith("_override.tf")
    override = tmp_path / generated["path"]
    override.write_text(generated["contents"])
    findings = check_file(override, provider_schema.aws_provider_schema())
    # An override holds only what it adds: the required arguments are the module's (modules/eks/main.tf).
    unknown = [failure for failure in findings.failures if not failure.endswith(" is missing")]
    assert not unknown and findings.checked
    (resource,) = hcl.load(override)["resource"]
    assert resource["aws_eks_cluster"]["this"]["access_config"][0]["authentication_mode"] == "API"
