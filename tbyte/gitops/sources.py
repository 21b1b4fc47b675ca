"""Upstream manifests, charts and CRDs from pinned Go modules, fetched through the Go module proxy.

`go mod download -json <module>@<version>` fetches the module zip (into the Go module cache, verified by the Go
checksum database) and reports its `h1:` hash; the catalogue pins that hash too, so a different zip is refused
whatever the cache holds. Some modules need a newer Go than the one on PATH only to be downloaded (Argo CD's
go.mod asks for 1.27): they name a `toolchain`, which Go itself fetches from the module proxy.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbyte.core.errors import Refused

MODULE_VERSION = re.compile(r"^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")
SUM = re.compile(r"^h1:[A-Za-z0-9+/]{43}=$")
TOOLCHAIN = re.compile(r"^go\d+\.\d+(\.\d+)?$")


@dataclass(frozen=True)
class ModuleSource:
    """A Go module at a pinned version and hash."""

    path: str
    version: str
    sum: str
    toolchain: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> ModuleSource:
        source = cls(str(data.get("path", "")), str(data.get("version", "")), str(data.get("sum", "")),
                     data.get("toolchain"))
        if not source.path or not MODULE_VERSION.match(source.version) or not SUM.match(source.sum):
            raise Refused(f"module {data!r}: needs path, version (vX.Y.Z) and sum (h1:...)")
        if source.toolchain is not None and not TOOLCHAIN.match(source.toolchain):
            raise Refused(f"module {source.path}: toolchain {source.toolchain!r} is not a Go toolchain (go1.27.3)")
        return source

    def __str__(self) -> str:
        return f"{self.path}@{self.version}"

    def directory(self) -> Path:
        """The extracted module (downloaded on first use), after its hash was checked against the pin."""
        return _download(self)

    def files(self, patterns: tuple[str, ...] | list[str]) -> list[Path]:
        """The module's files matching the patterns (globs relative to the module root), each pattern matching."""
        root = self.directory()
        found: list[Path] = []
        for pattern in patterns:
            matches = sorted(path for path in root.glob(pattern) if path.is_file())
            if not matches:
                raise Refused(f"{self}: nothing matches {pattern!r}")
            found += [path for path in matches if path not in found]
        return found

    def path_in(self, relative: str) -> Path:
        """A folder or file of the module (a chart, say), which must exist."""
        target = self.directory() / relative
        if not target.exists():
            raise Refused(f"{self}: it has no {relative}")
        return target


def go_environment(toolchain: str | None) -> dict[str, str]:
    """go's environment for a download: module mode, and either the Go on PATH or the named toolchain."""
    return {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": toolchain or "local"}


@functools.cache
def _download(source: ModuleSource) -> Path:
    if not shutil.which("go"):
        raise Refused(f"downloading {source} needs Go on PATH; none was found")
    result = subprocess.run(["go", "mod", "download", "-json", str(source)], capture_output=True, text=True,
                            env=go_environment(source.toolchain), cwd=Path(__file__).parent)
    try:
        info = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Refused(f"go mod download {source} failed:\n{(result.stderr or result.stdout).strip()}") from None
    if info.get("Error") or result.returncode != 0:
        raise Refused(f"go mod download {source} failed: {info.get('Error') or result.stderr.strip()}")
    if info.get("Sum") != source.sum:
        raise Refused(f"{source} has the hash {info.get('Sum')}, not the pinned {source.sum}: refused")
    return Path(info["Dir"])
