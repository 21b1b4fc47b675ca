"""What a check finds: a Finding (code, severity, object, problem, evidence, fix and its commands), and a Report.

Exit codes of the doctor: 0 when nothing was found, 2 when something was, 1 when the check could not run
(a refusal or an AWS error, one `error:` line like every task).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tbyte.doctor.actions import Action, as_dict, from_dict
from tbyte.doctor.catalogue import runbook

SEVERITIES = ("critical", "warning", "info")
CLEAN, FOUND = 0, 2


@dataclass(frozen=True)
class Finding:
    code: str  # stable, e.g. K8S001: the heading of its scenario in docs/runbooks/
    severity: str
    object: str  # "pod tbyte/api-7d9f-x2x4z", "route table rtb-0abc (subnet-0def)"
    problem: str  # one line
    evidence: tuple[str, ...]  # what was read, with the numbers
    fix: str  # what to do, in words
    actions: tuple[Action, ...] = ()  # the fix's commands, in order (the doctor prints them, never runs them)
    rank: int = 0  # a ranked list (the latency suspects): 1 is the likeliest; 0 for unranked findings

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def runbook(self) -> str:
        return runbook(self.code)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "object": self.object, "problem": self.problem,
                "evidence": list(self.evidence), "fix": self.fix,
                "commands": [action.command() for action in self.actions], "runbook": self.runbook,
                "actions": [as_dict(action) for action in self.actions], **({"rank": self.rank} if self.rank else {})}

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        return cls(data["code"], data["severity"], data["object"], data["problem"], tuple(data["evidence"]),
                   data["fix"], tuple(from_dict(action) for action in data.get("actions") or []), data.get("rank", 0))


@dataclass
class Report:
    """The result of one check of one environment."""

    check: str  # k8s, aws, terraform, latency
    env: str
    target: str  # what was examined, e.g. "cluster tbyte-local at https://127.0.0.1:6443"
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be read, and what was read instead

    def add(self, found) -> None:
        self.findings.extend(found)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.rank == 0, f.rank, SEVERITIES.index(f.severity), f.code,
                                                    f.object))

    @property
    def exit_code(self) -> int:
        return FOUND if self.findings else CLEAN

    def codes(self) -> list[tuple[str, str]]:
        """(code, object) of every finding, for assertions and summaries."""
        return [(finding.code, finding.object) for finding in self.sorted_findings()]

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls(data["check"], data["env"], data["target"], [Finding.from_dict(f) for f in data["findings"]],
                   list(data.get("notes") or []))

    def as_dict(self) -> dict:
        return {"check": self.check, "env": self.env, "target": self.target, "healthy": not self.findings,
                "findings": [finding.as_dict() for finding in self.sorted_findings()], "notes": list(self.notes)}
