import json
import os
import subprocess
import sys
import zipfile

import pytest

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.toolchain import provider, terraform
from tbyte.toolchain.go_tools import GoTool


def test_toolchain_json_reports_the_pinned_versions():
    result = subprocess.run([sys.executable, "-m", "invoke", "toolchain", "--json"], cwd=paths.ROOT,
                            capture_output=True, text=True, check=True)
    versions = json.loads(result.stdout)
    assert set(versions) == {"terraform", "aws_provider", "terragrunt", "helm", "actionlint", "tflint", "etcd",
                             "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok",
                             "argo-rollouts", "promtool", "amtool", "otelcol", "graphviz", "provider-proxy", "moto"}
    for name in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"):
        assert "v" + versions[name] == GoTool("kubernetes").version, name
    assert (versions["etcd"], versions["kwok"], versions["argo-rollouts"]) == ("3.6.16", "0.7.0", "1.8.3")
    assert versions["terraform"].startswith("1.15.")
    assert versions["aws_provider"] == "3.39.0"
    assert "v" + versions["terragrunt"] == GoTool("terragrunt").version
    assert "v" + versions["helm"] == GoTool("helm").version
    assert "v" + versions["graphviz"] == GoTool("graphviz").version == "v0.2.10"  # its own main.go, one library
    assert versions["moto"] == "5.2.5"
    # Prometheus 3.16.0 is the Go module github.com/prometheus/prometheus v0.316.0.
    assert versions["promtool"] == "3.16.0" and GoTool("promtool").version == "v0.316.0"
    assert "v" + versions["otelcol"] == GoTool("otelcol").version
    assert "v" + versions["amtool"] == GoTool("amtool").version
    assert "v" + versions["provider-proxy"] == GoTool("provider-proxy").version  # the gRPC library it pins


def test_provider_with_a_wrong_hash_is_refused_and_nothing_is_installed(tmp_path):
    forged = tmp_path / provider.AWS_PROVIDER_ZIP
    with zipfile.ZipFile(forged, "w") as archive:
        archive.writestr("terraform-provider-aws_v3.39.0_x5", b"not the real provider")
    mirror = tmp_path / "mirror"
    with pytest.raises(Refused, match="is not the published"):
        provider.install_provider(forged, mirror=mirror)
    assert not any(mirror.rglob("*")) if mirror.exists() else True


def test_the_genuine_provider_is_installed_into_the_mirror(tmp_path):
    installed = provider.install_provider(provider.bundled_provider_zip(), mirror=tmp_path)
    assert installed == tmp_path / provider.AWS_PROVIDER_SOURCE / provider.AWS_PROVIDER_ZIP
    assert provider.sha256_of(installed) == provider.AWS_PROVIDER_SHA256


def test_go_tool_pins_come_from_the_tools_go_mod():
    tool = GoTool("terragrunt")
    assert tool.package == "github.com/gruntwork-io/terragrunt"
    assert tool.version.startswith("v1.")
    assert tool.binary.parent.name == f"terragrunt-{tool.version}-{tool.pin_key}"


def test_a_distribution_generated_into_its_tools_folder_takes_its_version_from_the_named_module():
    tool = GoTool("otelcol")
    assert tool.package == "tbyte.local/tools/otelcol"
    assert tool.version == "v0.165.0"  # go.opentelemetry.io/collector/otelcol, which main.go's BuildInfo repeats
    assert 'Version:     "0.165.0"' in (tool.module_dir / "main.go").read_text()


def test_promtool_reports_the_prometheus_release_it_was_built_from():
    built = GoTool("promtool").ensure_built()
    result = subprocess.run([str(built), "--version"], capture_output=True, text=True, check=True)
    assert "version 3.16.0" in result.stdout


def test_terraform_shim_passes_exit_codes_and_output_through(tmp_path, terraform_env):
    (tmp_path / "bad.tf").write_text('locals {\nx=1\n}\n')
    check = subprocess.run([str(paths.BIN / "terraform"), "fmt", "-check", "-list=true"], cwd=tmp_path,
                           env=terraform_env, capture_output=True, text=True)
    assert check.returncode == 3
    assert "bad.tf" in check.stdout
    version = subprocess.run([str(paths.BIN / "terraform"), "version"], env=terraform_env,
                             capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("Terraform v1.15.")


def test_a_user_terraform_that_is_too_old_is_refused(tmp_path):
    old = tmp_path / "terraform"
    old.write_text("#!/bin/sh\necho '{\"terraform_version\": \"1.3.9\"}'\n")
    old.chmod(0o755)
    with pytest.raises(Refused, match="1.5 or newer"):
        terraform.check_override(old)


def test_a_user_terraform_set_through_invoke_configuration_is_checked(tmp_path):
    old = tmp_path / "terraform"
    old.write_text("#!/bin/sh\necho '{\"terraform_version\": \"1.3.9\"}'\n")
    old.chmod(0o755)
    result = subprocess.run([sys.executable, "-m", "invoke", "toolchain"], cwd=paths.ROOT, capture_output=True,
                            text=True, env={**os.environ, "INVOKE_TBYTE_TERRAFORM": str(old)})
    assert result.returncode == 1 and "1.5 or newer is needed" in result.stderr
    assert "Traceback" not in result.stderr
