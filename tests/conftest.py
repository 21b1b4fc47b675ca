"""Fixtures shared by every test: the repository's toolchain, prepared once per test session."""

import os
import subprocess
import sys

import pytest

from tbyte.core import paths
from tbyte.core.settings import Settings
from tbyte.emulator.manager import free_port as find_free_port
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
