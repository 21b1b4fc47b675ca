import base64
import json
import re

from tests.modules.conftest import case_file


def _user_data(plan, group: str) -> str:
    template = plan.root_module.resources[f'aws_launch_template.this["{group}"]']
    return base64.b64decode(template["values"]["user_data"]).decode()


def test_taints_reach_the_kubelet_through_user_data(planner):
    """hashicorp/aws 3.39 has no `taint` block, so the kubelet registers the taints (AL2023 and AL2 parts)."""
    plan = planner.plan("node-group", case_file("node-group", "spot_and_on_demand", "tfvars"))
    expected = {
        "system": [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NoSchedule"}],
        "spot": [
            {"key": "tbyte.io/spot", "effect": "PreferNoSchedule"},
            {"key": "tbyte.io/batch", "value": "only", "effect": "NoExecute"},
        ],
    }
    for group, taints in expected.items():
        user_data = _user_data(plan, group)
        assert "Content-Type: application/node.eks.aws" in user_data
        assert "Content-Type: text/x-shellscript" in user_data
        node_config = re.search(r"registerWithTaints: (\[.*\])", user_data)
        assert node_config and json.loads(node_config.group(1)) == taints
        jq = re.search(r"--argjson taints '(\[.*\])'", user_data)
        assert jq and json.loads(jq.group(1)) == taints


def test_cni_policy_is_attached_unless_the_cni_has_its_own_role(planner):
    tfvars = case_file("node-group", "on_demand_single", "tfvars")
    attached = planner.plan("node-group", tfvars).root_module.resources
    assert 'aws_iam_role_policy_attachment.node["AmazonEKS_CNI_Policy"]' in attached
    irsa = planner.plan("node-group", tfvars, vpc_cni_uses_irsa=True).root_module.resources
    assert 'aws_iam_role_policy_attachment.node["AmazonEKS_CNI_Policy"]' not in irsa
    assert 'aws_iam_role_policy_attachment.node["AmazonEKSWorkerNodePolicy"]' in irsa


def test_ebs_key_policy_is_scoped_to_the_account_and_the_autoscaling_role(planner):
    plan = planner.plan("node-group", case_file("node-group", "on_demand_single", "tfvars"))
    policy = json.loads(plan.modules["module.ebs_key"].resources["aws_kms_key.this"]["values"]["policy"])
    principals = {statement["Sid"]: statement["Principal"]["AWS"] for statement in policy["Statement"]}
    assert principals["AccountAdministration"].endswith(":root")
    slr = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    assert principals["AutoScalingUseForEbs"].endswith(slr)
    assert principals["AutoScalingGrantToEbs"].endswith(slr)
    grant = next(s for s in policy["Statement"] if s["Sid"] == "AutoScalingGrantToEbs")
    assert grant["Action"] == "kms:CreateGrant"
    assert grant["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": ["true"]}}
