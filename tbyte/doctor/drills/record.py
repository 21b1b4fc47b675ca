"""The doctor's real output in the guides: each drill's two reports (the broken platform, then after the printed
fix) live in its guide between markers, written by `invoke doctor.drill --scenario NAME --record`; the drill tests
check that the doctor still prints them (ids, names, times and ports aside, which change from run to run).

    <!-- doctor-output NAME broken -->
    ```text
    ...
    ```
    <!-- /doctor-output -->
"""

from __future__ import annotations

import re
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.doctor.catalogue import RUNBOOKS, guide
from tbyte.doctor.drills.registry import Drill
from tbyte.doctor.findings import Report
from tbyte.doctor.render import as_text

STATES = ("broken", "fixed")
BLOCK = re.compile(r"<!-- doctor-output (?P<name>[\w-]+) (?P<state>broken|fixed) -->\n```text\n(?P<text>.*?)```\n"
                   r"<!-- /doctor-output -->", re.S)
TABLE = re.compile(r"[┏┃┡│└━]")
VARYING = [
    (re.compile(r"\b(vpc|subnet|rtb|nat|igw|sg|acl|eni|vpce|pl|fl|lt|eipalloc|i)-[0-9a-f]{8,17}\b"), r"\1-<id>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b(api|frontend|worker)-[a-z0-9]{6,10}-[a-z0-9]{5}\b"), r"\1-<pod>"),
    (re.compile(r"\b(stable|current) [a-z0-9]{6,10}\b"), r"\1 <hash>"),
    (re.compile(r"\b(api|frontend|worker)-[a-z0-9]{6,10}-[a-z0-9]{1,6}\b"), r"\1-<run>"),  # jobs, analysis runs
    (re.compile(r"\brevision \d+\b"), "revision <n>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(\.\d+)?(s|m|h)\b"), r"<n>\2"),
    (re.compile(r"\b\d+(Ki|Mi|Gi)\b"), r"<n>\1"),  # what a node has left depends on what else runs
    # The emulator places the database (and so the paths the doctor walks to it) in a zone of its choosing.
    (re.compile(r"\b([a-z]{2}-[a-z]+-\d)[a-c]\b"), r"\1<az>"),
    (re.compile(r"\b10\.10\.\d{1,3}\.0/(\d\d)\b"), r"10.10.<n>.0/\1"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"\S*/\.toolchain/"), ".toolchain/"),
    (re.compile(r"\blocal-\d{4,5}\b"), "local-<port>"),
    (re.compile(r"/tmp/\S+"), "<tmp>"),
]


def guide_path(drill: Drill, root: Path = paths.ROOT) -> Path:
    return root / RUNBOOKS / f"{guide(drill.code)}.md"


def normalize(text: str) -> str:
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return text


CIDR_LIST = re.compile(r"\d+\.\d+\.\d+\.\d+/\d+(?:, \d+\.\d+\.\d+\.\d+/\d+)+")


def comparable(text: str) -> list[str]:
    """The lines a run must reproduce: every line but the table's (whose wrapping follows the widths), each
    finding's block as a whole and in no particular order, CIDR lists sorted (the emulator lists subnets, and so
    the doctor its findings, in the order Terraform happened to create them)."""
    blocks, block = [], []
    for line in text.splitlines():
        if TABLE.search(line):
            continue
        if not line.strip():
            blocks.append(block)
            block = []
            continue
        line = CIDR_LIST.sub(lambda match: ", ".join(sorted(match.group(0).split(", "))), normalize(line.rstrip()))
        block.append(line)
    blocks.append(block)
    return [line for block in sorted(filter(None, blocks)) for line in block]


def recorded(drill: Drill, root: Path = paths.ROOT) -> dict[str, str]:
    found = {match["state"]: match["text"] for match in BLOCK.finditer(guide_path(drill, root).read_text())
             if match["name"] == drill.name}
    return found


def differences(drill: Drill, reports: tuple[Report, Report], root: Path = paths.ROOT) -> list[str]:
    """Where the reports differ from the guide's recorded output (nothing: the guide is current)."""
    kept = recorded(drill, root)
    problems = []
    for state, report in zip(STATES, reports, strict=True):
        if state not in kept:
            problems.append(f"{guide_path(drill, root).name} has no recorded {state} output of {drill.name}")
            continue
        now, then = comparable(as_text(report)), comparable(kept[state])
        if now != then:
            changed = [f"  guide: {a}\n  now:   {b}" for a, b in zip(then, now, strict=False) if a != b][:3]
            problems.append(f"{drill.name} {state}: the doctor now prints something else than "
                            f"{guide_path(drill, root).name} records ({len(then)} vs {len(now)} lines)\n"
                            + "\n".join(changed))
    return problems


def shown(report: Report, root: Path) -> str:
    """The report as the guide shows it: paths inside the repository relative to it."""
    return as_text(report).replace(f"{root}/", "")


def write(drill: Drill, before: Report, after: Report, root: Path = paths.ROOT) -> Path:
    path = guide_path(drill, root)
    text = path.read_text()
    for state, report in zip(STATES, (before, after), strict=True):
        marker = f"<!-- doctor-output {drill.name} {state} -->"
        if marker not in text:
            raise Refused(f"{path} has no {marker} block (under the heading of {drill.code}): add it, then record")
        text = BLOCK.sub(lambda m, s=state, r=report: (
            f"<!-- doctor-output {drill.name} {s} -->\n```text\n{shown(r, root)}```\n<!-- /doctor-output -->"
            if m["name"] == drill.name and m["state"] == s else m.group(0)), text)
    path.write_text(text)
    return path
