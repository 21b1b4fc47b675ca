"""eks + node-group + iam + rds (on the vpc module) applied together in the emulator, re-planned clean, destroyed."""

import shutil

import pytest
import tftest

from tbyte import paths, toolchain
from tbyte.emulator import Emulator
from tests.modules.conftest import emulator_provider

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("modules-together")]

SERVICES = ["ec2", "eks", "iam", "kms", "cloudwatchlogs", "rds", "secretsmanager", "sts"]


@pytest.fixture
def emulator(free_port, tmp_path):
    running = Emulator(port=free_port, state_dir=tmp_path / "emulator")
    running.start()
    yield running
    running.stop()


def test_modules_apply_together_replan_clean_and_destroy(tmp_path, emulator, terraform_env):
    root = tmp_path / "platform"
    shutil.copytree(paths.ROOT / "tests/modules/fixtures/platform", root)
    shutil.copytree(paths.MODULES, root / "modules", ignore=shutil.ignore_patterns(".terraform*"))
    shutil.copy(paths.TERRAGRUNT / ".terraform.lock.hcl", root / ".terraform.lock.hcl")
    tags = {"environment": "local", "owner": "platform-team", "cost-center": "tests"}
    (root / "provider.tf").write_text(emulator_provider(emulator.endpoint, SERVICES, tags))
    tf = tftest.TerraformTest(str(root), binary=str(toolchain.terraform_binary()), env=terraform_env)
    tf.init()
    try:
        tf.apply()
        outputs = emulator.client("eks").describe_cluster(name="tbyte-together")["cluster"]
        assert outputs["status"] == "ACTIVE"
        replan = tf.execute_command("plan", "-input=false", "-detailed-exitcode", "-no-color")
        assert replan.retcode == 0, replan.out
    finally:
        tf.destroy()
    assert emulator.client("eks").list_clusters()["clusters"] == []
    assert emulator.client("rds").describe_db_instances()["DBInstances"] == []
