from pathlib import Path

import pytest

from tests.modules.conftest import emulator_provider

COPY_REGION = "eu-west-1"


@pytest.fixture(scope="session")
def backup_planner(planner):
    """The planner, with the module's aws.copy provider (the copy region) next to the test's default provider."""
    module = planner._module("backup")
    copy = emulator_provider(planner.endpoint, ["sts", "iam", "ec2"]).replace(
        'provider "aws" {\n  region                      = "eu-central-1"',
        f'provider "aws" {{\n  alias                       = "copy"\n  region                      = "{COPY_REGION}"', 1)
    (Path(module.tfdir) / "zz_test_copy_provider.tf").write_text(copy)
    return planner
