"""What a drill is, and every drill there is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tbyte.doctor.findings import Finding


def nothing(bench) -> None:
    return None


@dataclass(frozen=True)
class Drill:
    name: str
    check: str  # k8s, aws, terraform, latency
    code: str  # the finding the doctor must report
    breaks: str  # what it breaks, in one line (shown by --list and in the guides)
    break_: Callable = field(repr=False)  # (bench) -> None
    restore: Callable = field(default=nothing, repr=False)  # back to the platform as it was; also when unfixed
    expect: Callable[[Finding], bool] = field(default=lambda finding: True, repr=False)  # the finding's object
    options: dict = field(default_factory=dict)  # the check's options (service for latency)
    settle: float = 90.0  # seconds the platform may take to show the break, and to heal after the fix
    # For findings whose fix is code or capacity (the latency suspects): the system after the fix, as the drill
    # makes it (the metrics a fixed service reports), applied instead of printed commands.
    fixed: Callable | None = field(default=None, repr=False)

    def matches(self, finding: Finding) -> bool:
        return finding.code == self.code and self.expect(finding)


def drills() -> dict[str, Drill]:
    from tbyte.doctor.drills import aws_drills, k8s_drills, latency_drills, terraform_drills

    found: dict[str, Drill] = {}
    for module in (k8s_drills, aws_drills, terraform_drills, latency_drills):
        for drill in module.DRILLS:
            if drill.name in found:
                raise ValueError(f"two drills are named {drill.name}")
            found[drill.name] = drill
    return found
