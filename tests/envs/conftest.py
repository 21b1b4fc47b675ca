"""End-to-end fixtures: a private emulator (own port) and private saved plans for the tests that apply."""

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tbyte import paths
from tbyte.emulator import Emulator


@dataclass
class LocalPlatform:
    emulator: Emulator
    env: dict

    def invoke(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=paths.ROOT, env=self.env,
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"invoke {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture(scope="module")
def local_platform(tmp_path_factory):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TBYTE_EMULATOR_PORT": str(port), "TBYTE_PLANS_DIR": str(tmp_path_factory.mktemp("plans"))}
    emulator = Emulator(port=port)
    yield LocalPlatform(emulator, env)
    emulator.stop()
