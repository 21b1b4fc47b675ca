#!/usr/bin/env python3
"""Merge every SARIF file under a directory into one file with one run (standard library only).

    merge_sarif.py REPORTS_DIR OUT.sarif

`invoke scan` writes one SARIF file per checkov target (reports/checkov/<target>/). Code scanning refuses an
upload holding several runs of the same tool under one category, so the workflow uploads this single run:
the first run's tool driver, the union of the rules (by id, first wins), every result with its `ruleIndex`
pointing into the merged rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def merge(documents: list[dict]) -> dict:
    runs = [run for document in documents for run in document.get("runs", [])]
    if not runs:
        raise ValueError("no SARIF run to merge")
    driver = {key: value for key, value in runs[0]["tool"]["driver"].items() if key != "rules"}
    rules: dict[str, dict] = {}
    results: list[dict] = []
    for run in runs:
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []) or []:
            rules.setdefault(rule["id"], rule)
        results.extend(dict(result) for result in run.get("results", []) or [])
    index = {rule_id: position for position, rule_id in enumerate(rules)}
    for result in results:
        if result.get("ruleId") in index:
            result["ruleIndex"] = index[result["ruleId"]]
        else:
            result.pop("ruleIndex", None)
    return {"$schema": SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": {**driver, "rules": list(rules.values())}}, "results": results}]}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    reports, out = Path(argv[0]), Path(argv[1])
    files = sorted(reports.rglob("*.sarif"))
    if not files:
        print(f"no SARIF file under {reports}", file=sys.stderr)
        return 1
    merged = merge([json.loads(path.read_text()) for path in files])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(merged))
    run = merged["runs"][0]
    print(f"{len(files)} SARIF file(s) merged into {out}: {len(run['results'])} result(s), "
          f"{len(run['tool']['driver']['rules'])} rule(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
