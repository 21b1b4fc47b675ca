"""How a Report is shown: a table of the findings, then each finding's evidence, fix, commands and runbook.

On the terminal (stdout; progress stays on stderr), as one JSON object (--json), or as plain text of a fixed
width for the guides (`invoke doctor.drill --record`).
"""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table

from tbyte.core import console
from tbyte.doctor.findings import Report

RECORD_WIDTH = 120
MARKS = {"critical": "red", "warning": "yellow", "info": "cyan"}


def _table(report: Report) -> Table:
    view = Table(title=f"doctor {report.check} of {report.env}: {len(report.findings)} finding(s)",
                 title_justify="left")
    for column in ("code", "severity", "object", "problem"):
        view.add_column(column, justify="left", overflow="fold")
    for finding in report.sorted_findings():
        view.add_row(finding.code, f"[{MARKS[finding.severity]}]{finding.severity}[/]", finding.object,
                     finding.problem)
    return view


def write(report: Report, out: Console) -> None:
    out.print(f"doctor {report.check} of {report.env}: {report.target}", markup=False, soft_wrap=True)
    if not report.findings:
        out.print("[green]✓[/] healthy: nothing found", soft_wrap=True)
    else:
        out.print(_table(report))
        for finding in report.sorted_findings():
            out.print(f"\n{finding.code} {finding.object}: {finding.problem}", markup=False, soft_wrap=True)
            for line in finding.evidence:
                out.print(f"  evidence: {line}", markup=False, soft_wrap=True)
            out.print(f"  fix: {finding.fix}", markup=False, soft_wrap=True)
            for action in finding.actions:
                lines = action.command().splitlines()
                out.print(f"    $ {lines[0]}", markup=False, soft_wrap=True)
                for line in lines[1:]:
                    out.print(f"      {line}", markup=False, soft_wrap=True)
            out.print(f"  runbook: {finding.runbook}", markup=False, soft_wrap=True)
    for note in report.notes:
        out.print(f"note: {note}", markup=False, soft_wrap=True)


def show(report: Report) -> None:
    write(report, console.results)


def as_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2)


def as_text(report: Report, width: int = RECORD_WIDTH) -> str:
    """The terminal output without colours, at a fixed width (what the guides show)."""
    out = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False,
                  force_terminal=False)
    write(report, out)
    return "\n".join(line.rstrip() for line in out.file.getvalue().splitlines()) + "\n"
