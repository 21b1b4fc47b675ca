"""Prepare .toolchain/ (idempotent, fast when done) and the process environment that uses it."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.settings import Settings
from tbyte.toolchain import provider, provider_once, terraform
from tbyte.toolchain.go_tools import GoTool

GO_TOOLS = ("terragrunt", "helm", "actionlint", "tflint", "etcd", "kubernetes", "kwok", "argo-rollouts",
            "promtool", "amtool", "otelcol", "graphviz", "provider-proxy")
# The command that prints each program's version, and where the version is in what it prints.
VERSION_COMMANDS = {
    "terragrunt": ["terragrunt", "--version"],
    "helm": ["helm", "version", "--short"],
    "actionlint": ["actionlint", "-version"],
    "tflint": ["tflint", "--version"],
    "etcd": ["etcd", "--version"],
    "kube-apiserver": ["kube-apiserver", "--version"],
    "kube-controller-manager": ["kube-controller-manager", "--version"],
    "kube-scheduler": ["kube-scheduler", "--version"],
    "kubectl": ["kubectl", "version", "--client"],
    "kwok": ["kwok", "--version"],
    "argo-rollouts": ["argo-rollouts", "version"],
    "promtool": ["promtool", "--version"],
    "amtool": ["amtool", "--version"],
    "otelcol": ["otelcol", "--version"],
    "graphviz": ["graphviz", "--version"],
    "provider-proxy": ["provider-proxy", "--version"],
}


def write_if_changed(path: Path, text: str, mode: int = 0o644) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    path.chmod(mode)


def ensure(settings: Settings, log=say, tools: tuple[str, ...] = GO_TOOLS) -> dict[str, Path]:
    """Everything under .toolchain/ ready; the binaries by name."""
    paths.BIN.mkdir(parents=True, exist_ok=True)
    paths.PLUGIN_CACHE.mkdir(parents=True, exist_ok=True)
    write_if_changed(paths.BIN / "terraform", terraform.shim_text(terraform.embedded_version()), 0o755)
    if settings.terraform:
        terraform.check_override(settings.terraform)
    provider.install_provider(provider.bundled_provider_zip())
    write_if_changed(paths.CLI_CONFIG, provider.cli_config_text())
    write_if_changed(paths.REGISTRY_CLI_CONFIG, provider.registry_cli_config_text())
    binaries = {"terraform": terraform.binary(settings.terraform)}
    for name in tools:
        binaries.update(GoTool(name).link(log))
    return binaries


def ready(tools: tuple[str, ...] = GO_TOOLS) -> bool:
    """Whether `ensure` has nothing to do (checked without hashing the provider again)."""
    files = (paths.BIN / "terraform", provider.provider_mirror_path(), paths.CLI_CONFIG, paths.REGISTRY_CLI_CONFIG)
    return all(path.exists() for path in files) and all(GoTool(name).built() for name in tools)


def environment(settings: Settings, inherited: dict[str, str] | None = None,
                registry: bool = False) -> dict[str, str]:
    """Process environment in which terraform and terragrunt use this toolchain (on top of `inherited`, by
    default this process's own); `registry`: providers from the registry (AWS environments), not the mirror."""
    base = dict(os.environ if inherited is None else inherited)
    # The offline provider's processes are short-lived with small heaps (~60 MB): collecting garbage less often
    # (about 100 MB more each) cuts a plan's CPU by about a fifth. Not with the registry's provider, whose heap is
    # several hundred MB (five times that, for every stack at once, could exhaust a CI runner). A GOGC set is kept.
    collector = {} if registry else {"GOGC": base.get("GOGC", "400")}
    # The offline provider started once per Terraform command, not three times (see provider_once), unless the
    # shell set TBYTE_PROVIDER_ONCE=0. Never the registry's provider of the AWS environments: untested offline.
    off = registry or base.get(provider_once.ENABLE) == "0"
    one_provider = {provider_once.ENABLE: "0" if off else "1"}
    return {
        **base,
        **collector,
        **one_provider,
        "PATH": f"{paths.BIN}{os.pathsep}{base.get('PATH', '')}",
        "TF_CLI_CONFIG_FILE": str(paths.REGISTRY_CLI_CONFIG if registry else paths.CLI_CONFIG),
        "TF_PLUGIN_CACHE_DIR": str(paths.PLUGIN_CACHE),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TG_TF_PATH": str(terraform.binary(settings.terraform)),
    }


def versions(settings: Settings) -> dict[str, str]:
    """The resolved version of every tool, as `invoke toolchain --json` prints them."""
    binaries = ensure(settings)
    provider_ok = provider.sha256_of(provider.provider_mirror_path()) == provider.AWS_PROVIDER_SHA256
    found = {
        "terraform": terraform.version(binaries["terraform"]),
        "aws_provider": provider.AWS_PROVIDER_VERSION if provider_ok else "unverified",
    }
    for name, command in VERSION_COMMANDS.items():
        result = subprocess.run([str(binaries[command[0]]), *command[1:]], capture_output=True, text=True)
        found[name] = first_version(result.stdout + result.stderr)
    found["moto"] = importlib.metadata.version("moto")
    return found


def first_version(text: str) -> str:
    match = re.search(r"v?(\d+\.\d+\.\d+)", text)
    return match.group(1) if match else text.strip()
