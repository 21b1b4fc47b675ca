"""eks + node-group + iam + rds (on the vpc module) applied together in the emulator, re-planned clean, destroyed."""

import shutil

import pytest
from dda_python_terraform import Terraform

from tbyte.core import paths
from tbyte.emulator.manager import Emulator
from tbyte.toolchain import terraform
from tests.modules.conftest import emulator_provider

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("modules-together")]

SERVICES = ["ec2", "eks", "iam", "kms", "cloudwatchlogs", "rds", "secretsmanager", "sts"]


@pytest.fixture
def emulator(free_port, tmp_path):
    running = Emulator(port=free_port, state_dir=tmp_path / "emulator")
    running.start()
    yield running
    running.stop()


def test_modules_apply_together_replan_clean_and_destroy(tmp_path, emulator, terraform_env, monkeypatch):
    root = tmp_path / "platform"
    shutil.copytree(paths.ROOT / "tests/modules/fixtures/platform", root)
    shutil.copytree(paths.MODULES, root / "modules", ignore=shutil.ignore_patterns(".terraform*"))
    shutil.copy(paths.TERRAGRUNT / ".terraform.lock.hcl", root / ".terraform.lock.hcl")
    tags = {"environment": "local", "owner": "platform-team", "cost-center": "tests"}
    (root / "provider.tf").write_text(emulator_provider(emulator.endpoint, SERVICES, tags))
    for name, value in terraform_env.items():
        monkeypatch.setenv(name, value)
    # python-terraform's maintained fork: apply without a prompt and destroy without the removed -force flag.
    tf = Terraform(working_dir=str(root), terraform_bin_path=str(terraform.binary()),
                   terraform_semantic_version=terraform.version(terraform.binary()))
    assert tf.init(capture_output=True)[0] == 0
    try:
        code, out, err = tf.apply(capture_output=True)
        assert code == 0, out + err
        cluster = emulator.client("eks").describe_cluster(name="tbyte-together")["cluster"]
        assert cluster["status"] == "ACTIVE"
        code, out, err = tf.plan(capture_output=True, input=False)
        assert code == 0, out + err  # -detailed-exitcode: 0 means nothing would change
    finally:
        code, out, err = tf.destroy(capture_output=True)
        assert code == 0, out + err
    assert emulator.client("eks").list_clusters()["clusters"] == []
    assert emulator.client("rds").describe_db_instances()["DBInstances"] == []
