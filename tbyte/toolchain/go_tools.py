"""Go programs pinned by tools/<name>/go.mod (and verified by its go.sum), built once and cached by pin hash.

A go.mod lists its programs as `tool` packages (`go mod edit -json` reads them); a tool with one package
gives one binary named after the tool, a tool with several (tools/kubernetes) one binary per package, named
after it. Each is stamped with its release's version variables, set the way the project's own release build
sets them (VERSION_FLAGS), so that `--version` says what it is.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.errors import Refused

K8S_RELEASE = {"gitMajor": "1", "gitMinor": "34", "gitCommit": "df11db1c0f08fab3c0baee1e5ce6efbf816af7f1",
               "gitTreeState": "clean", "buildDate": "2025-12-09T14:59:13Z"}
# tool -> {variable: value}; "{version}" is the pinned module version (v1.2.3), "{bare}" the same without "v",
# "{release}" the version the tool's own release reports (see GoTool.release_version).
VERSION_FLAGS = {
    "terragrunt": {"github.com/gruntwork-io/terragrunt/internal/version.Version": "{version}"},
    "helm": {"helm.sh/helm/v3/internal/version.version": "{version}"},
    "kwok": {"sigs.k8s.io/kwok/pkg/consts.Version": "{version}", "sigs.k8s.io/kwok/pkg/consts.KubeVersion": "v1.33.0"},
    "kubernetes": {f"{package}.{name}": value
                   for package in ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")
                   for name, value in {"gitVersion": "{version}", **K8S_RELEASE}.items()},
    "argo-rollouts": {f"github.com/argoproj/argo-rollouts/utils/version.{name}": value for name, value in {
        "version": "{bare}", "gitCommit": "49fa1516cf71672b69e265267da4e1d16e1fe114", "gitTag": "{version}",
        "gitTreeState": "clean", "buildDate": "2025-06-02T20:48:40Z"}.items()},
    "promtool": {"github.com/prometheus/common/version.Version": "{release}"},
    "amtool": {"github.com/prometheus/common/version.Version": "{release}"},
    # etcd, tflint and otelcol: none; their modules already hold their version (etcd panics on a "v" there).
}

# Build tags a tool's own release process documents for leaving out what we do not use: promtool without the
# service-discovery plugins (rule checks and rule tests need none) builds in a fraction of the time.
BUILD_TAGS = {"promtool": "remove_all_sd"}

# A tool whose `tool` package is its own tools/<name> module (a distribution generated there, like the
# OpenTelemetry Collector's builder output) takes its version from the module named here.
VERSION_MODULES = {
    "otelcol": "go.opentelemetry.io/collector/otelcol",
    "graphviz": "github.com/goccy/go-graphviz",  # tools/graphviz/main.go: DOT in, SVG out
    "provider-proxy": "google.golang.org/grpc",  # tools/provider-proxy/main.go (see toolchain/provider_once.py)
}


@functools.cache
def _module(directory: Path) -> dict:
    result = subprocess.run(["go", "mod", "edit", "-json"], cwd=directory, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"{paths.shown(directory)}/go.mod cannot be read: {result.stderr.strip()}")
    return json.loads(result.stdout)


@dataclass(frozen=True)
class GoTool:
    """The Go programs pinned by tools/<name>/go.mod."""

    name: str

    @property
    def module_dir(self) -> Path:
        return paths.TOOLS / self.name

    @property
    def packages(self) -> list[str]:
        found = [tool["Path"] for tool in _module(self.module_dir).get("Tool") or []]
        if not found:
            raise Refused(f"tools/{self.name}/go.mod has no `tool` line")
        return found

    @property
    def package(self) -> str:
        return self.packages[0]

    def _required(self) -> dict:
        """The go.mod requirement the program comes from: its package's module, or for a tool whose `tool` package
        is its own tools/<name> module, the module VERSION_MODULES names."""
        named = VERSION_MODULES.get(self.name, self.package)
        for requirement in _module(self.module_dir).get("Require") or []:
            if named == requirement["Path"] or named.startswith(requirement["Path"] + "/"):
                return requirement
        raise Refused(f"tools/{self.name}/go.mod does not require the module of {named}")

    @property
    def source_module(self) -> str:
        """The module the program comes from (for tools/graphviz, the library its own main.go wraps)."""
        return self._required()["Path"]

    @property
    def version(self) -> str:
        return self._required()["Version"]

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
        values = {"version": self.version, "bare": self.version.lstrip("v"), "release": self.release_version}
        flags = [f"-X {variable}={value.format(**values)}"
                 for variable, value in VERSION_FLAGS.get(self.name, {}).items()]
        return " ".join(["-s", "-w", *flags])

    @property
    def tag_flags(self) -> list[str]:
        return ["-tags", BUILD_TAGS[self.name]] if self.name in BUILD_TAGS else []

    @property
    def pin_key(self) -> str:
        digest = hashlib.sha256(self.ldflags.encode())
        if self.name in BUILD_TAGS:
            digest.update(b"tags=" + BUILD_TAGS[self.name].encode())
        for name in ("go.mod", "go.sum"):
            digest.update((self.module_dir / name).read_bytes())
        for source in sorted(self.module_dir.glob("*.go")):  # a distribution generated into tools/<name>
            digest.update(source.name.encode() + source.read_bytes())
        return digest.hexdigest()[:12]

    @property
    def build_dir(self) -> Path:
        return paths.GO_BUILDS / f"{self.name}-{self.version}-{self.pin_key}"

    def binary_name(self, package: str) -> str:
        return self.name if len(self.packages) == 1 else package.rstrip("/").rsplit("/", 1)[-1]

    @property
    def binaries(self) -> dict[str, Path]:
        """{binary name: path} of every program of the tool."""
        return {self.binary_name(package): self.build_dir / self.binary_name(package) for package in self.packages}

    @property
    def binary(self) -> Path:
        return self.binaries[self.binary_name(self.package)]

    def built(self) -> bool:
        return all(path.exists() for path in self.binaries.values())

    def build(self, log=say) -> dict[str, Path]:
        """Every program of the tool, built if not yet: {binary name: path}."""
        if self.built():
            return self.binaries
        if not shutil.which("go"):
            raise Refused(f"building {self.name} needs Go on PATH (https://go.dev); none was found")
        log(f"building {self.name} {self.version} from the Go module proxy (one time; cached under .toolchain/go)")
        self.build_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GOFLAGS": "-mod=readonly -trimpath -buildvcs=false", "GOTOOLCHAIN": "local",
               "CGO_ENABLED": "0"}
        for package in self.packages:
            target = self.build_dir / self.binary_name(package)
            if target.exists():
                continue
            partial = target.with_suffix(".partial")
            command = ["go", "build", *self.tag_flags, "-ldflags", self.ldflags, "-o", str(partial), package]
            build = subprocess.run(command, cwd=self.module_dir, env=env, capture_output=True, text=True)
            if build.returncode != 0:
                raise Refused(f"go build of {package} ({self.name} {self.version}) failed:\n{build.stderr.strip()}")
            partial.rename(target)
        return self.binaries

    def ensure_built(self, log=say) -> Path:
        """The tool's main program, built if not yet."""
        return self.build(log)[self.binary_name(self.package)]

    def link(self, log=say) -> dict[str, Path]:
        """.toolchain/bin/<binary> for every program, pointing at the build of the current pins."""
        links = {}
        for name, built in self.build(log).items():
            link = paths.BIN / name
            if not link.is_symlink() or link.resolve() != built:
                link.unlink(missing_ok=True)
                link.symlink_to(built)
            links[name] = link
        return links
