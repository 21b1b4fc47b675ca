"""Go programs pinned by tools/<name>/go.mod (and verified by its go.sum), built once and cached by pin hash."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.errors import Refused

# The variable each Go tool reports as its version (set the way the tool's own release build sets it).
VERSION_VARIABLES = {
    "terragrunt": "github.com/gruntwork-io/terragrunt/internal/version.Version",
    "helm": "helm.sh/helm/v3/internal/version.version",
    "promtool": "github.com/prometheus/common/version.Version",
    "amtool": "github.com/prometheus/common/version.Version",
}

# A tool whose `tool` package is its own tools/<name> module (a distribution generated there, like the
# OpenTelemetry Collector's builder output) takes its version from the module named here.
VERSION_MODULES = {
    "otelcol": "go.opentelemetry.io/collector/otelcol",
}


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
            raise Refused(f"tools/{self.name}/go.mod has no `tool` line")
        return match.group(1)

    @property
    def version(self) -> str:
        requires = re.findall(r"^\s*(?:require\s+)?(\S+)\s+(v\S+)", (self.module_dir / "go.mod").read_text(), re.M)
        named = VERSION_MODULES.get(self.name, self.package)
        for module, version in requires:
            if named == module or named.startswith(module + "/"):
                return version
        raise Refused(f"tools/{self.name}/go.mod does not require the module of {named}")

    @property
    def release_version(self) -> str:
        """The version the tool's own release reports: Prometheus 3.MM.P is published as module v0.3MM.P, and the
        Prometheus projects' builds write it without the "v"."""
        match = re.fullmatch(r"v0\.3(\d\d)\.(\d+)", self.version)
        if self.name == "promtool" and match:
            return f"3.{int(match.group(1))}.{match.group(2)}"
        if self.name == "amtool":
            return self.version.removeprefix("v")
        return self.version

    @property
    def ldflags(self) -> str:
        variable = VERSION_VARIABLES.get(self.name)
        return "-s -w" + (f" -X {variable}={self.release_version}" if variable else "")

    @property
    def pin_key(self) -> str:
        digest = hashlib.sha256(self.ldflags.encode())
        for name in ("go.mod", "go.sum"):
            digest.update((self.module_dir / name).read_bytes())
        for source in sorted(self.module_dir.glob("*.go")):  # a distribution generated into tools/<name>
            digest.update(source.name.encode() + source.read_bytes())
        return digest.hexdigest()[:12]

    @property
    def binary(self) -> Path:
        return paths.GO_BUILDS / f"{self.name}-{self.version}-{self.pin_key}" / self.name

    def ensure_built(self, log=say) -> Path:
        if self.binary.exists():
            return self.binary
        if not shutil.which("go"):
            raise Refused(f"building {self.name} needs Go on PATH (https://go.dev); none was found")
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
            raise Refused(f"go build of {self.name} {self.version} failed:\n{build.stderr.strip()}")
        partial.rename(self.binary)
        return self.binary

    def link(self, log=say) -> Path:
        """.toolchain/bin/<name>, pointing at the build of the current pins."""
        built = self.ensure_built(log)
        link = paths.BIN / self.name
        if not link.is_symlink() or link.resolve() != built:
            link.unlink(missing_ok=True)
            link.symlink_to(built)
        return link
