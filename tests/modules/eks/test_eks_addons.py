"""The add-ons' versions live in one place, and what aws 3.39 cannot express reaches the 6.x environments."""

import json
import re

import hcl2
import pytest

from tbyte.core import hcl, paths
from tbyte.core.environment import Environment
from tbyte.infra.graph import render
from tests.modules.conftest import case_file

EKS = paths.MODULES / "eks"
OVERRIDE = EKS / "provider-6" / "addons_override.tf"
DEFAULT_ADDONS = {"vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent",
                  "amazon-cloudwatch-observability"}


def pinned() -> dict:
    """addon_versions.tf's table, {minor: {add-on: version}}."""
    (locals_,) = hcl.load(EKS / "addon_versions.tf")["locals"]
    return locals_["addon_versions"]


def accepted_versions() -> set[str]:
    """The minor versions variables.tf's validation accepts, from its regex (1\\.3[45] -> 1.34, 1.35)."""
    pattern = re.search(r'regex\("\^1\\\\\.3\[(\d+)\]\$"', (EKS / "variables.tf").read_text())
    assert pattern, "the kubernetes_version validation changed shape; update this test"
    return {f"1.3{digit}" for digit in pattern.group(1)}


def test_every_accepted_kubernetes_version_pins_every_default_addon():
    versions = pinned()
    assert set(versions) == accepted_versions()
    for minor, addons in versions.items():
        assert set(addons) == DEFAULT_ADDONS, minor
        for name, version in addons.items():
            assert re.fullmatch(r"v\d+\.\d+\.\d+-eksbuild\.\d+", version), f"{minor}/{name}: {version}"
        # kube-proxy follows the control plane's minor version.
        assert addons["kube-proxy"].startswith(f"v{minor}."), minor


def test_the_module_default_is_a_pinned_version_and_every_environment_uses_one():
    default = re.search(r'variable "kubernetes_version".*?default\s+=\s+"([^"]+)"', (EKS / "variables.tf").read_text(),
                        re.S).group(1)
    assert default in pinned()
    for name in ("local", "dev", "stage", "prod"):
        assert Environment.resolve(name).values["kubernetes_version"] in pinned(), name


def test_the_override_sends_the_module_configuration_and_takes_over_the_self_managed_addons():
    document = hcl2.loads(OVERRIDE.read_text())
    (resource,) = document["resource"]
    body = resource['"aws_eks_addon"']['"this"']
    assert {key for key in body if not key.startswith("__")} == {"configuration_values", "resolve_conflicts_on_create"}
    assert body["configuration_values"] == "${lookup(local.addon_configuration_values, each.key, null)}"
    assert body["resolve_conflicts_on_create"] == '"OVERWRITE"'


@pytest.mark.parametrize("env", ["dev", "stage", "prod", "local"])
def test_terragrunt_adds_the_override_exactly_where_the_provider_is_6x(env):
    generate = render(Environment.resolve(env), "eks")["generate"]["addons_provider_6"]
    assert generate["path"] == "addons_override.tf"
    assert generate["contents"] == OVERRIDE.read_text()
    # local runs the offline aws 3.39 (terragrunt/.terraform.lock.hcl), which has no configuration_values.
    assert generate["disable"] is (env == "local")


@pytest.mark.parametrize(("env", "uses_irsa"), [("prod", True), ("dev", True), ("local", False)])
def test_nodes_keep_the_cni_policy_only_where_vpc_cni_has_no_role_of_its_own(env, uses_irsa):
    assert render(Environment.resolve(env), "node-group")["inputs"]["vpc_cni_uses_irsa"] is uses_irsa


def test_the_ebs_csi_driver_gets_the_module_role_and_the_vpc_cni_enforces_network_policies(planner):
    plan = planner.plan("eks", case_file("eks", "private_only", "tfvars"))
    changes = plan.resource_changes
    ebs = changes['aws_eks_addon.this["aws-ebs-csi-driver"]']["change"]
    # The role's ARN is known after apply: the add-on takes the module's role, not none.
    assert ebs["after_unknown"].get("service_account_role_arn") is True
    assert changes['aws_eks_addon.this["coredns"]']["change"]["after"]["service_account_role_arn"] is None
    trust = plan.configuration["root_module"]["module_calls"]["addon_role"]
    assert trust["source"] == "../iam/modules/irsa-role"
    role = changes['module.addon_role["aws-ebs-csi-driver"].aws_iam_role.this']["change"]["after"]
    assert role["description"].endswith("kube-system/ebs-csi-controller-sa.")
    assert json.loads(plan.outputs["addon_configuration_values"]["vpc-cni"]) == {"enableNetworkPolicy": "true"}
