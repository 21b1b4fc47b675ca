"""Where things live in the repository and in its git-ignored working folders."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "modules"
TERRAGRUNT = ROOT / "terragrunt"
TOOLS = ROOT / "tools"
HELM = ROOT / "helm"

TOOLCHAIN = ROOT / ".toolchain"
BIN = TOOLCHAIN / "bin"
PROVIDER_MIRROR = TOOLCHAIN / "providers"
PLUGIN_CACHE = TOOLCHAIN / "plugin-cache"
CLI_CONFIG = TOOLCHAIN / "terraform.rc"  # local: providers from the verified mirror only
REGISTRY_CLI_CONFIG = TOOLCHAIN / "terraform-registry.rc"  # AWS environments: the registry, checked by the lock
GO_BUILDS = TOOLCHAIN / "go"
EMULATOR_DIR = TOOLCHAIN / "emulator"
LOCAL_CLUSTERS = TOOLCHAIN / "cluster"  # one folder per API server port (tbyte/cluster/layout.py)


def shown(path: Path) -> str:
    """A path as the user should read it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
