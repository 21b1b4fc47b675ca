"""Fixtures of the CI tests: the workflows and local composite actions under .github/, loaded once."""

import pytest

from tests.ci.github import Document, action_files, load, workflow_files


@pytest.fixture(scope="session")
def workflows() -> dict[str, Document]:
    return {path.name: load(path) for path in workflow_files()}


@pytest.fixture(scope="session")
def actions() -> dict[str, Document]:
    """Local composite actions by the path a workflow uses them with (./.github/actions/<name>)."""
    return {f"./.github/actions/{path.parent.name}": load(path) for path in action_files()}
