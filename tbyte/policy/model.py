"""What a scan is made of: targets (one checkov job each), findings, results per target and of the whole scan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Target:
    """One checkov job: what it scans, and how its file paths read from the repository root."""

    name: str
    kind: str
    framework: str
    inputs: list[str] = field(default_factory=list)  # checkov arguments naming what to scan
    prefix: str = ""  # prepended to checkov's file paths to make them repository-relative
    env: str | None = None
    skipped: str | None = None  # why it was not scanned
    warning: str | None = None

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", self.name).strip("-")


@dataclass
class Finding:
    check_id: str
    check_name: str
    resource: str
    file: str
    lines: str
    details: str = ""


@dataclass
class TargetResult:
    target: Target
    passed: int = 0
    failed: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def status(self) -> str:
        if self.target.skipped:
            return "skipped"
        if self.error:
            return "error"
        return "failed" if self.failed else "passed"


@dataclass
class ScanResult:
    results: list[TargetResult]
    seconds: float
    reports: Path
    network_attempts: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[str, Finding]]:
        return [(result.target.name, finding) for result in self.results for finding in result.failed]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(result.target.name, result.error) for result in self.results if result.error]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and not self.network_attempts

