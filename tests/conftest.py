"""Fixtures shared by every test: the repository's toolchain, prepared once per test session."""

import pytest

from tbyte import toolchain


@pytest.fixture(scope="session")
def terraform_env() -> dict[str, str]:
    """Process environment with the embedded terraform and the hash-verified provider mirror."""
    toolchain.ensure(tools=())
    return toolchain.environment()


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
