"""End-to-end fixtures: a private emulator (own port) and private saved plans for the tests that apply."""

import os
import subprocess
from dataclasses import dataclass

import pytest

from tbyte.emulator.manager import Emulator, free_port
from tests.conftest import run_invoke


@dataclass
class LocalPlatform:
    emulator: Emulator
    env: dict

    def invoke(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = run_invoke(*args, env=self.env)
        if check and result.returncode != 0:
            command = " ".join(args)
            raise AssertionError(f"invoke {command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture(scope="module")
def local_platform(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "INVOKE_TBYTE_EMULATOR_PORT": str(port), "INVOKE_TBYTE_PLANS_DIR": str(tmp_path_factory.mktemp("plans"))}
    emulator = Emulator(port=port)
    yield LocalPlatform(emulator, env)
    emulator.stop()
