"""The AWS provider started once per Terraform command (tbyte/toolchain/provider_once.py), through the shim."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from tbyte.core import paths
from tbyte.toolchain import provider, provider_once

LOCK = paths.TERRAGRUNT / ".terraform.lock.hcl"
PLAN_ARGS = ["plan", "-input=false", "-no-color"]
CONFIG = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_get_ec2_platforms      = true # provider 3.x: no call to AWS at all
}

data "aws_region" "this" {}

output "region" {
  value = data.aws_region.this.name
}
"""


SECOND_REGION = """
provider "aws" {
  alias                       = "copy"
  region                      = "eu-west-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_get_ec2_platforms      = true
}

data "aws_region" "copy" {
  provider = aws.copy
}

output "copy_region" {
  value = data.aws_region.copy.name
}
"""


def unpacked_provider(folder):
    with zipfile.ZipFile(provider.provider_mirror_path()) as archive:
        archive.extractall(folder)
    binary = next(folder.glob("terraform-provider-aws*"))
    binary.chmod(0o755)
    return binary


def installed_workdir(tmp_path, terraform_env, config=CONFIG):
    """A configuration initialised as Terragrunt's units are: the committed lock, read-only."""
    workdir = tmp_path / "config"
    workdir.mkdir()
    (workdir / "main.tf").write_text(config)
    shutil.copy(LOCK, workdir / ".terraform.lock.hcl")
    init = subprocess.run([str(paths.BIN / "terraform"), "init", "-input=false", "-lockfile=readonly"], cwd=workdir,
                          env=terraform_env, capture_output=True, text=True)
    assert init.returncode == 0, init.stdout + init.stderr
    return workdir


def traced_plan(workdir, environment, tmp_path) -> tuple[subprocess.CompletedProcess, str]:
    """A plan through the shim, and Terraform's trace log of it."""
    log = tmp_path / "terraform.log"
    log.unlink(missing_ok=True)
    result = subprocess.run([str(paths.BIN / "terraform"), *PLAN_ARGS], cwd=workdir, capture_output=True, text=True,
                            env={**environment, "TF_LOG": "trace", "TF_LOG_PATH": str(log)})
    return result, log.read_text()


def test_the_package_hash_is_terraforms_h1_of_the_locked_release(tmp_path):
    binary = unpacked_provider(tmp_path)
    assert provider_once.package_hash(binary.parent) in provider_once.locked_hashes(paths.TERRAGRUNT)
    assert provider_once.package_hash(binary.parent).startswith("h1:")


@pytest.mark.parametrize(("args", "environ", "expected"), [
    (["plan", "-input=false"], {provider_once.ENABLE: "1"}, True),
    (["apply", "-auto-approve"], {provider_once.ENABLE: "1"}, True),
    (["init", "-input=false"], {provider_once.ENABLE: "1"}, False),  # a reattached provider is not installed
    (["test", "-json"], {provider_once.ENABLE: "1"}, True),  # mocked providers: the real one's schema
    (["test", "-test-directory=other"], {provider_once.ENABLE: "1"}, False),  # test files elsewhere
    (["output", "-json"], {provider_once.ENABLE: "1"}, False),  # runs no provider
    (["plan"], {}, False),  # not asked for
    (["-chdir=../other", "plan"], {provider_once.ENABLE: "1"}, False),  # another working directory
    (["plan"], {provider_once.ENABLE: "1", "TF_REATTACH_PROVIDERS": "{}"}, False),  # the user's own
])
def test_only_commands_that_run_the_provider_get_one_when_asked(args, environ, expected):
    assert provider_once.wanted(args, environ) is expected


def test_a_package_that_is_not_the_locked_one_is_never_started(tmp_path, terraform_env):
    workdir = installed_workdir(tmp_path, terraform_env)
    assert provider_once.verified_binary(workdir) is not None
    installed = provider_once.installed_binary(workdir)
    forged = tmp_path / "forged"
    forged.mkdir()
    binary = unpacked_provider(forged)
    with binary.open("ab") as handle:
        handle.write(b"\0")
    installed.parent.unlink()  # the symlink into the plugin cache
    installed.parent.symlink_to(forged)
    assert provider_once.verified_binary(workdir) is None
    assert provider_once.start(PLAN_ARGS, workdir, {**terraform_env, provider_once.ENABLE: "1"}) == {}


def test_a_plan_through_the_shim_starts_the_provider_once_and_gives_the_same_result(tmp_path, terraform_env):
    workdir = installed_workdir(tmp_path, terraform_env)
    default = {key: value for key, value in terraform_env.items() if key != provider_once.ENABLE}
    started_by_terraform, trace = traced_plan(workdir, default, tmp_path)
    assert started_by_terraform.returncode == 0, started_by_terraform.stderr
    assert trace.count("provider: starting plugin") == 3  # schema, validation, plan: what provider_once saves
    assert "returning cached schema" not in trace  # provider 3.39 does not declare its schema cacheable

    once, trace = traced_plan(workdir, {**default, provider_once.ENABLE: "1"}, tmp_path)
    assert once.returncode == 0, once.stderr
    assert trace.count("provider: starting plugin") == 0  # Terraform used the one the shim started
    assert trace.count("GRPCProvider: returning cached schema") >= 3  # the proxy's capability: built once
    assert 'region = "eu-central-1"' in once.stdout
    assert once.stdout == started_by_terraform.stdout


def test_two_configurations_of_the_provider_each_get_their_own_process(tmp_path, terraform_env):
    # One process for both would plan the copy region's data in the region configured last.
    workdir = installed_workdir(tmp_path, terraform_env, CONFIG + SECOND_REGION)
    result, trace = traced_plan(workdir, {**terraform_env, provider_once.ENABLE: "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert trace.count("provider: starting plugin") == 0  # both served through the proxy
    assert 'region      = "eu-central-1"' in result.stdout and 'copy_region = "eu-west-1"' in result.stdout


def proxy_children(variables) -> list[int]:
    """The provider processes the proxy started (whichever of its threads started them)."""
    proxy = json.loads(variables["TF_REATTACH_PROVIDERS"])[provider_once.SOURCE]["Pid"]
    return [int(pid) for task in Path(f"/proc/{proxy}/task").iterdir() for pid in (task / "children").read_text().split()]


@pytest.mark.parametrize(("config", "processes"), [(CONFIG, 1), (CONFIG + SECOND_REGION, 2)])
def test_the_proxy_starts_one_provider_per_configuration(tmp_path, terraform_env, config, processes):
    # Schema and validation clients are answered by the first process; each configured client gets its own.
    workdir = installed_workdir(tmp_path, terraform_env, config)
    variables = provider_once.start(PLAN_ARGS, workdir, {**terraform_env, provider_once.ENABLE: "1"})
    try:
        reattach = {"TF_REATTACH_PROVIDERS": variables["TF_REATTACH_PROVIDERS"]}  # the shim does not end it then
        result = subprocess.run([str(paths.BIN / "terraform"), *PLAN_ARGS], cwd=workdir, capture_output=True,
                                text=True, env={**terraform_env, **reattach})
        assert result.returncode == 0, result.stderr
        assert len(proxy_children(variables)) == processes
    finally:
        provider_once.stop(variables)


def test_stop_ends_the_provider_and_leaves_nothing(tmp_path, terraform_env):
    workdir = installed_workdir(tmp_path, terraform_env)
    variables = provider_once.start(PLAN_ARGS, workdir, {**terraform_env, provider_once.ENABLE: "1"})
    log = int(variables[provider_once.LOG])
    served = json.loads(variables["TF_REATTACH_PROVIDERS"])[provider_once.SOURCE]
    proxy = served["Pid"]
    (provider_pid,) = proxy_children(variables)
    assert os.get_inheritable(log)  # it survives the shim's re-execution
    assert os.readlink(f"/proc/self/fd/{log}").endswith("(deleted)")  # the provider's output is in no named file
    assert os.getsid(proxy) == proxy  # its own session: the SIGINT that cancels Terraform does not reach it
    assert Path(served["Addr"]["String"]).is_socket()
    provider_once.stop(variables)
    with pytest.raises(OSError):
        os.fstat(log)
    assert not Path(served["Addr"]["String"]).parent.exists()  # the proxy removed its socket's folder
    for pid in (proxy, provider_pid):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_shim_killed_under_a_plan_leaves_no_process_and_no_file(tmp_path, terraform_env):
    workdir = installed_workdir(tmp_path, terraform_env)
    shim = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                             "from pathlib import Path\n"
                             "from tbyte.toolchain import provider_once\n"
                             f"v = provider_once.start({PLAN_ARGS!r}, Path({str(workdir)!r}), "
                             "{**__import__('os').environ})\n"
                             "print(v['TF_REATTACH_PROVIDERS'], flush=True)\n"
                             "time.sleep(60)\n"],
                            cwd=paths.ROOT, env={**terraform_env, provider_once.ENABLE: "1"}, stdout=subprocess.PIPE,
                            text=True)
    served = json.loads(shim.stdout.readline())[provider_once.SOURCE]
    shim.kill()  # no chance to clean up: the proxy gets a SIGTERM from the kernel (parent-death signal)
    shim.wait()
    deadline = time.monotonic() + 10
    while Path(served["Addr"]["String"]).parent.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(served["Addr"]["String"]).parent.exists()
    assert not alive(served["Pid"])


def alive(pid: int) -> bool:
    """Running, not merely waiting to be reaped by whoever adopted it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_provider_panic_is_shown_when_it_ends(capsys):
    sleeper = subprocess.Popen(["sleep", "60"])
    with tempfile.TemporaryFile() as handle:
        log = os.dup(handle.fileno())
    os.write(log, b"starting\npanic: runtime error: index out of range\ngoroutine 1 [running]:\n")
    reattach = json.dumps({provider_once.SOURCE: {"Protocol": "grpc", "Pid": sleeper.pid}})
    provider_once.stop({"TF_REATTACH_PROVIDERS": reattach, provider_once.LOG: str(log)})
    assert sleeper.poll() is not None
    assert "The AWS provider crashed:\npanic: runtime error" in capsys.readouterr().err
    with pytest.raises(OSError):
        os.fstat(log)


def test_the_hash_is_remembered_until_a_file_of_the_package_changes(tmp_path):
    binary = unpacked_provider(tmp_path / "package")
    memo = tmp_path / "memo.json"
    genuine = provider_once.remembered_hash(binary.parent, memo)
    assert genuine in provider_once.locked_hashes(paths.TERRAGRUNT)
    assert os.stat(memo).st_mode & 0o077 == 0
    assert provider_once.remembered_hash(binary.parent, memo) == genuine
    with binary.open("r+b") as handle:  # same size, same modification time: only the change time tells
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.utime(binary, ns=(binary.stat().st_atime_ns, json.loads(memo.read_text())["identity"][0][3]))
    assert provider_once.remembered_hash(binary.parent, memo) != genuine
