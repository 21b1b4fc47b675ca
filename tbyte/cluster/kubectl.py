"""kubectl (built with the control plane, tools/kubernetes) against a kubeconfig: apply, get, wait."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tbyte.core import paths, process
from tbyte.core.errors import Refused


class Kubectl:
    def __init__(self, kubeconfig: Path):
        self.kubeconfig = kubeconfig

    def run(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = process.run([str(paths.BIN / "kubectl"), f"--kubeconfig={self.kubeconfig}", *args], stdin=stdin)
        if check and result.returncode != 0:
            raise Refused(f"kubectl {' '.join(args[:3])} failed: {(result.stderr or result.stdout).strip()}")
        return result

    def apply(self, *files: Path, manifest: str | None = None, manager: str = "tbyte",
              namespace: str | None = None) -> None:
        """Server-side apply (large CRDs exceed client-side apply's annotation limit); `namespace` for the objects
        that name none."""
        args = ["apply", "--server-side", "--force-conflicts", f"--field-manager={manager}",
                *(["--namespace", namespace] if namespace else [])]
        for file in files:
            args += ["-f", str(file)]
        if manifest is not None:
            args += ["-f", "-"]
        self.run(*args, stdin=manifest)

    def get(self, kind: str, name: str | None = None, namespace: str | None = None,
            all_namespaces: bool = False) -> dict | None:
        """The object (or the list) as JSON; None when it does not exist."""
        args = ["get", kind, *([name] if name else []), "-o", "json"]
        if namespace:
            args += ["-n", namespace]
        if all_namespaces:
            args.append("--all-namespaces")
        result = self.run(*args, check=False)
        if result.returncode != 0:
            if "NotFound" in result.stderr or "not found" in result.stderr:
                return None
            raise Refused(f"kubectl get {kind} failed: {result.stderr.strip()}")
        return json.loads(result.stdout)
