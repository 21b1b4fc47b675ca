"""platform/gitops.yaml: the git repository and revision Argo CD reconciles, and the environments it manages."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import yaml

from tbyte.core import paths
from tbyte.core.errors import Refused

SETTINGS_FILE = paths.ROOT / "platform" / "gitops.yaml"
GITOPS_DIR = paths.ROOT / "platform" / "gitops"


@dataclass(frozen=True)
class GitOpsSettings:
    repository: str
    revision: str
    environments: tuple[str, ...]

    def path(self, env: str) -> str:
        """The folder of the repository the root Application of an environment syncs."""
        return f"platform/gitops/{env}"


@functools.cache
def settings() -> GitOpsSettings:
    document = yaml.safe_load(SETTINGS_FILE.read_text()) or {}
    if not str(document.get("repository", "")).startswith("https://") or not document.get("revision"):
        raise Refused(f"{paths.shown(SETTINGS_FILE)} needs an https `repository` and a `revision`")
    return GitOpsSettings(document["repository"], str(document["revision"]),
                          tuple(document.get("environments") or ()))
