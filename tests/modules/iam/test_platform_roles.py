"""Point 3 of the CI trust model: every role the platform's modules create carries the role boundary (the GitHub
deploy role may create or change no role without it). Each module is planned from one of its own test cases."""

import pytest

from tests.modules.conftest import case_file

BOUNDARY = "arn:aws:iam::123456789012:policy/tbyte-dev-role-boundary"

# module, a case of its own tests that creates roles, the input that sets the boundary, the roles it creates
MODULES = [
    ("vpc", "single_nat", "permissions_boundary_arn", ["aws_iam_role.flow_logs"]),
    ("eks", "private_only", "cluster_role_permissions_boundary_arn",
     ["module.cluster_role.aws_iam_role.this"] + [f'module.addon_role["{addon}"].aws_iam_role.this' for addon in
                                                  ("aws-ebs-csi-driver", "vpc-cni", "amazon-cloudwatch-observability")]),
    ("node-group", "on_demand_single", "permissions_boundary_arn", ["aws_iam_role.node"]),
    ("rds", "prod_multi_az", "permissions_boundary_arn", ["aws_iam_role.monitoring[0]"]),
]


@pytest.mark.parametrize(("module", "case", "variable", "roles"), MODULES, ids=[m[0] for m in MODULES])
def test_every_role_of_the_module_carries_the_boundary(planner, module, case, variable, roles):
    plan = planner.plan(module, case_file(module, case, "tfvars"), **{variable: BOUNDARY})
    planned = {address: change["change"]["after"] for address, change in plan.resource_changes.items()
               if change["type"] == "aws_iam_role"}
    assert sorted(planned) == sorted(roles), "a new role: it must take the boundary too"
    for address, role in planned.items():
        assert role["permissions_boundary"] == BOUNDARY, address


@pytest.mark.parametrize(("module", "case", "variable", "roles"), MODULES, ids=[m[0] for m in MODULES])
def test_without_the_input_no_boundary_is_set(planner, module, case, variable, roles):
    plan = planner.plan(module, case_file(module, case, "tfvars"))
    assert all(plan.resource_changes[address]["change"]["after"]["permissions_boundary"] is None for address in roles)
