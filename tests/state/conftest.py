"""Fixtures of the state-operation tests: a private copy of the repository with its own emulator.

Every end-to-end module works in its own copy (tasks.py, tbyte/, the vpc module and the local vpc unit), so that
it can edit "the code" (rename a resource, change a tag) without touching the real repository, and so that
other stacks being written elsewhere can never break it. The copy shares the built Go tools, the provider mirror
and the plugin cache of the real .toolchain/ through symlinks; its emulator, Terragrunt cache, saved plans and
state backups are its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.emulator.manager import Emulator, free_port
from tbyte.infra.graph import graph

BUCKET = "tbyte-terraform-state-local"
STATE_KEY = "local/vpc/terraform.tfstate"
LOCK_KEY = STATE_KEY + ".tflock"
IGNORED = shutil.ignore_patterns("__pycache__", ".terragrunt-cache", ".terraform", "*.tfstate*", "*.tfplan")


def copy_repository(destination: Path) -> Path:
    """A minimal, git-initialised copy of the repository with only the vpc stack of local."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("tasks.py", "pyproject.toml"):
        shutil.copy2(paths.ROOT / name, destination / name)
    shutil.copytree(paths.ROOT / "tbyte", destination / "tbyte", ignore=IGNORED)
    vpc = graph(Environment.resolve("local")).get("vpc")
    for module in (paths.ROOT / name for name in vpc.modules):
        # the vpc module and the local modules it calls
        shutil.copytree(module, destination / module.relative_to(paths.ROOT), ignore=IGNORED, dirs_exist_ok=True)
    shutil.copytree(paths.TOOLS, destination / "tools", ignore=IGNORED)  # the pins name the (shared) Go builds
    terragrunt = destination / "terragrunt"
    (terragrunt / "_envcommon").mkdir(parents=True)
    for name in ("root.hcl", ".terraform.lock.hcl", "_envcommon/vpc.hcl", "local/env.hcl"):
        (terragrunt / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.TERRAGRUNT / name, terragrunt / name)
    shutil.copytree(paths.TERRAGRUNT / "local" / "vpc", terragrunt / "local" / "vpc", ignore=IGNORED)
    toolchain = destination / ".toolchain"
    toolchain.mkdir()
    for shared in ("go", "providers", "plugin-cache"):
        (toolchain / shared).symlink_to(paths.TOOLCHAIN / shared)
    (destination / ".gitignore").write_text((paths.ROOT / ".gitignore").read_text())
    # terragrunt's get_repo_root() needs a git repository
    subprocess.run(["git", "init", "-q", str(destination)], check=True)
    return destination


@dataclass
class RepoCopy:
    root: Path
    port: int
    env: dict = field(default_factory=dict)

    @property
    def emulator(self) -> Emulator:
        return Emulator(port=self.port, state_dir=self.root / ".toolchain" / "emulator")

    @property
    def backups(self) -> Path:
        return Path(self.env["INVOKE_TBYTE_BACKUPS_DIR"]) / "local" / "vpc"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "invoke", *args]

    def invoke(self, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(self.command(*args), cwd=self.root, env={**self.env, **(env or {})},
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"invoke {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        """`invoke <args>` in the background, in its own process group (as a terminal would run it)."""
        return subprocess.Popen(self.command(*args), cwd=self.root, env={**self.env, **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    # The backend, read directly (never through the code under test).
    def s3(self):
        return self.emulator.client("s3")

    def object(self, key: str) -> tuple[bytes, str] | None:
        try:
            response = self.s3().get_object(Bucket=BUCKET, Key=key)
        except self.s3().exceptions.NoSuchKey:
            return None
        return response["Body"].read(), response.get("VersionId")

    def state(self) -> dict:
        found = self.object(STATE_KEY)
        assert found is not None, "the stack has no state"
        return json.loads(found[0])

    def checksum(self) -> tuple[str, str]:
        """SHA-256 and S3 version id of the state object: equal before and after means nothing changed."""
        body, version = self.object(STATE_KEY)
        return hashlib.sha256(body).hexdigest(), version

    def lock(self) -> dict | None:
        found = self.object(LOCK_KEY)
        return json.loads(found[0]) if found else None

    def wait_for_lock(self, process: subprocess.Popen, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lock = self.lock()
            if lock:
                return lock
            if process.poll() is not None:
                raise AssertionError(f"the run ended before it took the lock:\n{process.communicate()}")
            time.sleep(0.1)
        raise AssertionError("no lock appeared")

    def addresses(self) -> dict[str, str]:
        """Every managed resource instance of the state with its id."""
        found = {}
        for resource in self.state()["resources"]:
            if resource["mode"] != "managed":
                continue
            for instance in resource["instances"]:
                key = instance.get("index_key")
                suffix = "" if key is None else f"[{json.dumps(key)}]"
                found[f"{resource['type']}.{resource['name']}{suffix}"] = instance["attributes"]["id"]
        return found

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> RepoCopy:
    """A private repository copy with its own emulator port, saved plans and state backups."""
    base = tmp_path_factory.mktemp("repo")
    root = copy_repository(base / "repo")
    port = free_port()
    env = {**os.environ, "INVOKE_TBYTE_EMULATOR_PORT": str(port), "INVOKE_TBYTE_PLANS_DIR": str(base / "plans"),
           "INVOKE_TBYTE_BACKUPS_DIR": str(base / "state-backups"), "TG_LOG_LEVEL": "warn"}
    env.pop("INVOKE_TBYTE_TERRAFORM", None)
    copy = RepoCopy(root, port, env)
    yield copy
    copy.emulator.stop()


@pytest.fixture(scope="module")
def applied(repo) -> RepoCopy:
    """The copy with its local vpc stack planned and applied once (shared by the tests of a module)."""
    repo.invoke("plan", "--env", "local", "--stack", "vpc")
    repo.invoke("apply", "--env", "local", "--stack", "vpc")
    return repo
