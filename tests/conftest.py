"""Fixtures shared by every test: the repository's toolchain, prepared once per test session."""

import pytest

from tbyte import toolchain


@pytest.fixture(scope="session")
def terraform_env() -> dict[str, str]:
    """Process environment with the embedded terraform and the hash-verified provider mirror."""
    toolchain.ensure(tools=())
    return toolchain.environment()
