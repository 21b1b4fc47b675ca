"""Scan tests write their reports to a temporary folder, never to the repository's reports/."""

import pytest


@pytest.fixture(autouse=True)
def private_reports(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("TBYTE_REPORTS_DIR", str(reports))
    return reports
