#!/usr/bin/env python3
"""Copy what of `invoke scan`'s reports may be published (an artifact, code scanning) to another folder.

    publishable_reports.py REPORTS_DIR OUT_DIR

A saved plan carries the prior state in plain text, and checkov's reports of a plan target quote it: the JSON
report holds each resource's `code_block` (the plan's lines: planned values, secrets among them), and the SARIF
snippet of a record without a module file is the plan's JSON too. Readers of the repository can download
artifacts, so of `reports/` only these are copied:

- `scan-summary.json`: targets, counts, and per failure the check id, the resource address, file:lines and the
  check's own message; no planned value;
- `checkov/<target>/results_sarif.sarif` and `results_junitxml.xml` of every target that is not a plan
  (modules, workflows, secrets, helm, path): they quote repository files only.

Never a plan target's reports, never a `results_json.json` (code blocks) nor a `checkov.log`. Standard library only.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PUBLISHABLE = ("results_sarif.sarif", "results_junitxml.xml")


def copy(reports: Path, out: Path) -> list[Path]:
    summary = json.loads((reports / "scan-summary.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    copied = [Path(shutil.copy(reports / "scan-summary.json", out / "scan-summary.json"))]
    for target in summary["targets"]:
        if target["name"].startswith("plan ") or not target.get("reports"):
            continue
        for name in PUBLISHABLE:
            source = reports / target["reports"] / name
            if source.is_file():
                destination = out / target["reports"] / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                copied.append(Path(shutil.copy(source, destination)))
    return copied


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    reports, out = Path(argv[0]), Path(argv[1])
    if not (reports / "scan-summary.json").is_file():
        print(f"no {reports}/scan-summary.json: the scan did not finish", file=sys.stderr)
        return 1
    for path in copy(reports, out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
