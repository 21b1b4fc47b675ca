"""Planner of the eks tests: the generic ModulePlanner, in a folder of its own that also holds the cluster-role
submodule where the module's relative source (../iam/modules/eks-cluster-role) points. The generic folder holds
only the module under test (and may receive the whole iam module from the iam tests)."""

import shutil

import pytest

from tbyte import paths
from tests.modules.conftest import ModulePlanner

SUBMODULE = "iam/modules/eks-cluster-role"


@pytest.fixture(scope="session")
def planner(tmp_path_factory, terraform_env, sts_endpoint) -> ModulePlanner:
    workdir = tmp_path_factory.mktemp("eks-modules")
    shutil.copytree(paths.MODULES / SUBMODULE, workdir / SUBMODULE, ignore=shutil.ignore_patterns(".terraform*"))
    return ModulePlanner(workdir, terraform_env, sts_endpoint)
