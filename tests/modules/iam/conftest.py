"""The iam submodules are planned on their own, from a work directory separate from the root module's copy
(the root module's copy already contains modules/, which a second copy would collide with)."""

from pathlib import Path

import pytest

from tests.modules.conftest import ModulePlanner

SUBMODULES = Path(__file__).parent / "submodules"


@pytest.fixture(scope="session")
def submodule_planner(tmp_path_factory, terraform_env, sts_endpoint) -> ModulePlanner:
    return ModulePlanner(tmp_path_factory.mktemp("iam-submodules"), terraform_env, sts_endpoint)
