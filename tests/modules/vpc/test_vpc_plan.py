import pytest

from tests.modules.conftest import assert_inventory, case_file, module_cases


@pytest.mark.parametrize("case", module_cases("vpc"))
def test_plan_matches_inventory(planner, case):
    plan = planner.plan("vpc", case_file("vpc", case, "tfvars"))
    assert_inventory(plan, case_file("vpc", case, "yaml"))
