"""What a scan says: the summary table and the failures on the terminal, scan-summary.json beside the reports."""

from __future__ import annotations

import json
from pathlib import Path

from rich.markup import escape

from tbyte.core import paths
from tbyte.core.console import say, table
from tbyte.policy.model import ScanResult


def write_summary(scan: ScanResult) -> Path:
    summary = {
        "ok": scan.ok,
        "seconds": round(scan.seconds, 1),
        "targets": [{"name": r.target.name, "status": r.status, "passed": r.passed, "failed": len(r.failed),
                     "suppressed": r.suppressed, "skipped": r.target.skipped, "warning": r.target.warning,
                     "error": r.error, "reports": f"checkov/{r.target.slug}" if r.target.inputs else None}
                    for r in scan.results],
        "failures": [{"target": name, "check_id": f.check_id, "resource": f.resource, "file": f.file,
                      "lines": f.lines, "details": f.details} for name, f in scan.failures],
        "network_attempts": scan.network_attempts,
    }
    path = scan.reports / "scan-summary.json"
    path.write_text(json.dumps(summary, indent=2))
    return path


STATUS_STYLE = {"passed": "[green]passed[/]", "failed": "[red]failed[/]", "error": "[red]error[/]",
                "skipped": "[yellow]skipped[/]"}


def print_summary(scan: ScanResult) -> None:
    rows = []
    for result in scan.results:
        if result.target.skipped:
            rows.append([result.target.name, "-", "-", "-", STATUS_STYLE["skipped"]])
            continue
        rows.append([result.target.name, result.passed, len(result.failed), result.suppressed,
                     STATUS_STYLE[result.status]])
    table("checkov scan", ["target", "passed", "failed", "suppressed", "status"], rows)
    skipped: dict[str, list[str]] = {}
    for result in scan.results:
        if result.target.skipped:
            skipped.setdefault(result.target.skipped, []).append(result.target.name)
    for reason, names in skipped.items():
        say(f"[yellow]! not scanned[/]: {escape(', '.join(names))}: {escape(reason)}")
    if scan.failures:
        say(f"[red]{len(scan.failures)} failure(s) not suppressed[/] (check, resource, file, target):")
        for name, finding in scan.failures:
            where = f"{finding.file}:{finding.lines}" if finding.lines else finding.file
            say(f"  [red]✗[/] {finding.check_id}  {escape(finding.resource)}  {escape(where)}  ({escape(name)})")
            say("      " + escape(finding.check_name + (f": {finding.details}" if finding.details else "")))
    for name, error in scan.errors:
        say(f"[red]✗[/] {escape(name)}: {escape(error)}")
    for attempt in scan.network_attempts:
        say(f"[red]✗[/] network attempt during the scan: {escape(attempt)}")
    say(f"reports: {paths.shown(scan.reports / 'checkov')} (SARIF, JUnit XML, JSON per target), "
        f"{paths.shown(scan.reports / 'scan-summary.json')}")
    verdict = "[green]✓ no unsuppressed finding[/]" if scan.ok else "[red]✗ the scan failed[/]"
    count = sum(len(names) for names in skipped.values())
    say(f"{verdict}" + (f" ({count} target(s) not scanned, see above)" if count else "") +
        f"; total {scan.seconds:.1f}s")

