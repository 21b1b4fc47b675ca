import pytest

from tests.modules.conftest import assert_inventory, case_file, module_cases


@pytest.mark.parametrize("case", module_cases("iam"))
def test_plan_matches_inventory(planner, case):
    plan = planner.plan("iam", case_file("iam", case, "tfvars"))
    assert_inventory(plan, case_file("iam", case, "yaml"))
