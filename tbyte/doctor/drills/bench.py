"""The workbench of a drill: the platform's clients with write access (the doctor's own are read-only by use),
kubectl as the local control plane's admin, this repository's tasks, file edits in the repository or working
copy it works in, and a stash that remembers what a break changed until it is restored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tbyte.cluster.kubectl import Kubectl
from tbyte.cluster.layout import Layout
from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.files import write_private


class Bench:
    def __init__(self, env: Environment, root: Path = paths.ROOT, stash_file: Path | None = None):
        self.env = env
        self.root = root
        self.stash_file = stash_file
        self.stash: dict = {}
        if stash_file is not None and stash_file.exists():
            self.stash = json.loads(stash_file.read_text())

    def save(self) -> None:
        if self.stash_file is not None:
            write_private(self.stash_file, json.dumps(self.stash, indent=1))

    # AWS: the emulator's clients (drills run only against local)
    def client(self, service: str):
        return self.env.client(service)

    # Kubernetes: the local control plane, as its admin
    @property
    def kubeconfig(self) -> Path:
        return Layout.of(self.env.settings).kubeconfig()

    def kubectl(self, *args: str, stdin: str | None = None) -> str:
        return Kubectl(self.kubeconfig).run(*args, stdin=stdin).stdout

    def kubectl_json(self, *args: str) -> dict:
        return json.loads(self.kubectl(*args, "-o", "json"))

    def wait(self, what: str, condition, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise Refused(f"drill: {what} did not happen within {timeout:.0f}s")
            time.sleep(0.5)

    # this repository's tasks, with the same settings
    def variables(self) -> dict:
        settings = self.env.settings
        return {**os.environ, "INVOKE_TBYTE_EMULATOR_PORT": str(settings.emulator_port),
                "INVOKE_TBYTE_KUBE_PORT": str(settings.kube_port), "INVOKE_TBYTE_PLANS_DIR": str(settings.plans_dir)}

    def invoke(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=self.root, env=self.variables(),
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise Refused(f"drill: invoke {' '.join(args)} exited {result.returncode}: "
                          f"{(result.stderr or result.stdout).strip()[-600:]}")
        return result

    def edit(self, path: str, old: str | None, new: str) -> None:
        target = self.root / path
        if old is None:
            existing = target.read_text() if target.exists() else ""
            target.write_text(existing + ("\n" if existing and not existing.endswith("\n") else "") + new)
            return
        text = target.read_text()
        if text.count(old) != 1:
            raise Refused(f"drill: {path} does not hold the text to replace exactly once")
        target.write_text(text.replace(old, new))
