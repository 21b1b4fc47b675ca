"""Fixtures shared by every test: the repository's toolchain, prepared once per test session."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.settings import Settings
from tbyte.emulator.manager import Emulator
from tbyte.emulator.manager import free_port as find_free_port
from tbyte.platform import local
from tbyte.toolchain import setup


@pytest.fixture(scope="session")
def terraform_env() -> dict[str, str]:
    """Process environment with the embedded terraform and the hash-verified provider mirror."""
    setup.ensure(Settings.defaults(), tools=())
    return setup.environment(Settings.defaults())


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    return find_free_port()


def run_invoke(*args: str, env: dict | None = None, cwd=None, unset=()) -> subprocess.CompletedProcess:
    """Run an invoke task of the repository in a subprocess, as a user would; output captured."""
    variables = {key: value for key, value in {**os.environ, **(env or {})}.items() if key not in unset}
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd or paths.ROOT, env=variables,
                          capture_output=True, text=True)


@dataclass
class LocalPlatform:
    """A private local platform: its own emulator, control plane port and saved plans."""

    emulator: Emulator
    env: dict

    def invoke(self, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
        result = run_invoke(*args, env={**self.env, **(env or {})})
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"invoke {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def remove(self) -> None:
        """What `invoke down` removes but the stacks (they go with the emulator, which holds them in memory)."""
        settings = Settings.from_config({"emulator_port": self.env["INVOKE_TBYTE_EMULATOR_PORT"],
                                         "kube_port": self.env["INVOKE_TBYTE_KUBE_PORT"]})
        local.remove(Environment.resolve("local", settings))

    @property
    def kubeconfig(self) -> Path:
        return paths.LOCAL_CLUSTERS / self.env["INVOKE_TBYTE_KUBE_PORT"] / "admin.kubeconfig"

    def kubectl(self, *args: str) -> dict:
        result = subprocess.run([str(paths.BIN / "kubectl"), f"--kubeconfig={self.kubeconfig}", *args, "-o", "json"],
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def local_platform(tmp_path_factory):
    port = find_free_port()
    env = {"INVOKE_TBYTE_EMULATOR_PORT": str(port), "INVOKE_TBYTE_KUBE_PORT": str(find_free_port()),
           "INVOKE_TBYTE_PLANS_DIR": str(tmp_path_factory.mktemp("plans"))}
    platform = LocalPlatform(Emulator(port=port), env)
    yield platform
    platform.remove()
