"""Scan tests write their reports to a temporary folder, never to the repository's reports/."""

import pytest


@pytest.fixture
def private_reports(tmp_path):
    return tmp_path / "reports"
