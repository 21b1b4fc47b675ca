#!/usr/bin/env python3
"""Summaries of the saved plans of one environment, for the workflows (standard library only).

    plan_summary.py render  --env E --exit-code N [--plans .plans] --json OUT.json --markdown OUT.md
    plan_summary.py compare --reviewed REVIEWED.json --current CURRENT.json [--markdown-append OUT.md]

`render` reads the records `invoke plan` saves next to each plan (.plans/<env>/<stack>.json) and writes the
summary as JSON (compared later) and as Markdown (the job summary, the pull-request comment, the page where an
environment's deployment is approved). The summary holds stack names, counts, resource addresses and actions,
never a planned value: it is published (artifact, job summary), and a plan carries the state's values.

`compare` is the apply job's gate: the plan it just made must make exactly the changes of the summary that was
reviewed (same stacks, counts, addresses and actions). It prints `matches=true|false` for $GITHUB_OUTPUT and
exits 0 when they match, 1 (with the reason on stderr) when they do not: then nothing may be applied.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MAX_ADDRESSES = 50  # per stack in the Markdown; the JSON keeps them all


def load(plans_dir: Path, env: str) -> list[dict]:
    """The summaries of the stacks planned for the environment, in the order they were planned."""
    records = []
    for path in sorted((plans_dir / env).glob("*.json")):
        record = json.loads(path.read_text())
        summary = record.get("summary")
        if not isinstance(summary, dict) or "stack" not in summary:
            continue  # not a plan record
        records.append((record.get("planned_at", 0), summary))
    records.sort(key=lambda item: (item[0], item[1]["stack"]))
    # Only these fields, whatever else a record holds: the summary is published.
    return [
        {
            "stack": str(summary["stack"]),
            "add": int(summary.get("add", 0)),
            "change": int(summary.get("change", 0)),
            "destroy": int(summary.get("destroy", 0)),
            "changed": sorted(str(address) for address in summary.get("changed", [])),
            "drifted": sorted(str(address) for address in summary.get("drifted", [])),
            "actions": _actions(summary.get("actions")),
        }
        for _, summary in records
    ]


def _actions(value) -> dict[str, str]:
    """{address: action} (create, update, delete, replace...) when the record has it; {} when it does not."""
    if not isinstance(value, dict):
        return {}
    return {str(address): str(action) for address, action in sorted(value.items())}


def summarize(env: str, exit_code: int, stacks: list[dict], sha: str = "", run_url: str = "") -> dict:
    return {"env": env, "exit_code": exit_code, "sha": sha, "run_url": run_url, "stacks": stacks}


def _totals(stacks: list[dict]) -> tuple[int, int, int]:
    return (sum(s["add"] for s in stacks), sum(s["change"] for s in stacks), sum(s["destroy"] for s in stacks))


def markdown(summary: dict) -> str:
    env, stacks, code = summary["env"], summary["stacks"], summary["exit_code"]
    add, change, destroy = _totals(stacks)
    if code == 1:
        status = ":x: **plan failed**: see the job's log; nothing can be applied"
    elif add or change or destroy:
        status = f":yellow_circle: **{add} to add, {change} to change, {destroy} to destroy**"
    else:
        status = ":white_check_mark: **no changes**"
    lines = [f"### Plan of `{env}`", "", status]
    if summary.get("sha"):
        run = f", [run]({summary['run_url']})" if summary.get("run_url") else ""
        lines += ["", f"Commit `{summary['sha'][:12]}`{run}"]
    if stacks:
        lines += ["", "| stack | add | change | destroy | drifted |", "|---|--:|--:|--:|--:|"]
        lines += [f"| {s['stack']} | {s['add']} | {s['change']} | {s['destroy']} | {len(s['drifted'])} |"
                  for s in stacks]
    for stack in stacks:
        if not stack["changed"]:
            continue
        shown = stack["changed"][:MAX_ADDRESSES]
        more = len(stack["changed"]) - len(shown)
        title = f"<code>{stack['stack']}</code>: {len(stack['changed'])} resource(s)"
        lines += ["", f"<details><summary>{title}</summary>", ""]
        actions = stack.get("actions") or {}
        lines += [f"- `{address}`" + (f" ({actions[address]})" if address in actions else "") for address in shown]
        if more:
            lines.append(f"- … and {more} more (the plan-summary artifact lists them all)")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def change_set(summary: dict) -> dict:
    """What a plan would do, stack by stack: the part two plans must share to be the same change."""
    return {
        s["stack"]: (s["add"], s["change"], s["destroy"], tuple(s["changed"]),
                     tuple(sorted((s.get("actions") or {}).items())))
        for s in summary["stacks"]
    }


def compare(reviewed: dict, current: dict) -> tuple[bool, str]:
    if reviewed.get("exit_code") == 1 or current.get("exit_code") == 1:
        return False, "a plan failed, so there is no reviewed change to apply"
    if reviewed.get("env") != current.get("env"):
        return False, f"the reviewed plan is of {reviewed.get('env')!r}, this one of {current.get('env')!r}"
    before, after = change_set(reviewed), change_set(current)
    nothing = (0, 0, 0, (), ())  # a stack without changes counts the same whether or not its record is there
    differing = sorted(name for name in before.keys() | after.keys()
                       if before.get(name, nothing) != after.get(name, nothing))
    if not differing:
        return True, "makes exactly the changes of the reviewed plan"
    return False, "differs from the reviewed plan in: " + ", ".join(f"`{n}`" for n in differing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render")
    render.add_argument("--env", required=True)
    render.add_argument("--exit-code", type=int, required=True)
    render.add_argument("--plans", type=Path, default=Path(".plans"))
    render.add_argument("--sha", default="")
    render.add_argument("--run-url", default="")
    render.add_argument("--json", type=Path, required=True)
    render.add_argument("--markdown", type=Path, required=True)
    check = commands.add_parser("compare")
    check.add_argument("--reviewed", type=Path, required=True)
    check.add_argument("--current", type=Path, required=True)
    check.add_argument("--markdown-append", type=Path)
    args = parser.parse_args(argv)

    if args.command == "render":
        stacks = load(args.plans, args.env) if args.exit_code != 1 else []
        summary = summarize(args.env, args.exit_code, stacks, args.sha, args.run_url)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
        args.markdown.write_text(markdown(summary))
        return 0

    matches, reason = compare(json.loads(args.reviewed.read_text()), json.loads(args.current.read_text()))
    if args.markdown_append:
        mark = ":white_check_mark:" if matches else ":x:"
        with args.markdown_append.open("a") as out:
            out.write(f"\n{mark} The plan made for the apply {reason}.\n")
    print(f"matches={'true' if matches else 'false'}")
    if not matches:
        print(f"refusing to apply: the plan made now {reason}; nothing was applied. Re-run the plan job to review "
              "the new change (its dependants run again and ask for approval again).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
