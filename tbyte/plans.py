"""Saved plans: one per stack under .plans/<env>/, with what they were made from, so stale ones are refused."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tbyte import paths
from tbyte.errors import UserError
from tbyte.stacks import Stack, dependency_closure
from tbyte.state_store import outputs_digest, state_version

# Tests point TBYTE_PLANS_DIR elsewhere so that they never touch a developer's saved plans.
PLANS = Path(os.environ.get("TBYTE_PLANS_DIR", paths.ROOT / ".plans"))
MODULE_SUFFIXES = {".tf", ".tftpl", ".json"}  # what Terraform reads from a module; READMEs do not count


@dataclass
class PlanSummary:
    stack: str
    add: int = 0
    change: int = 0
    destroy: int = 0
    changed: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.add or self.change or self.destroy)


def plan_file(stack: Stack) -> Path:
    return PLANS / stack.env / f"{stack.name}.tfplan"


def record_file(stack: Stack) -> Path:
    return PLANS / stack.env / f"{stack.name}.json"


def log_file(stack: Stack, action: str) -> Path:
    return PLANS / stack.env / f"{stack.name}.{action}.log"


LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]+)"', re.M)


def module_dirs(stack: Stack) -> list[Path]:
    """The stack's Terraform module and, transitively, the local modules it calls (`source = "./…"|"../…"`)."""
    envcommon = (paths.TERRAGRUNT / "_envcommon" / f"{stack.name}.hcl").read_text()
    match = re.search(r"modules//([\w-]+)", envcommon)
    if not match:
        raise UserError(f"_envcommon/{stack.name}.hcl has no terraform source under modules//")
    pending, found = [paths.MODULES / match.group(1)], []
    while pending:
        directory = pending.pop().resolve()
        if directory in found:
            continue
        found.append(directory)
        for tf_file in directory.glob("*.tf"):
            pending += [directory / source for source in LOCAL_SOURCE.findall(tf_file.read_text())]
    return sorted(found)


def code_files(stack: Stack) -> list[Path]:
    """Every file whose change could change the stack's plan."""
    files = [f for d in module_dirs(stack) for f in d.glob("*") if f.suffix in MODULE_SUFFIXES]
    files += [paths.TERRAGRUNT / name for name in ("root.hcl", ".terraform.lock.hcl")]
    files += [paths.TERRAGRUNT / "_envcommon" / f"{stack.name}.hcl", paths.TERRAGRUNT / stack.env / "env.hcl"]
    files += list(stack.directory.glob("*.hcl"))
    return sorted(files)


def code_fingerprint(stack: Stack) -> str:
    digest = hashlib.sha256()
    for path in code_files(stack):
        digest.update(str(path.relative_to(paths.ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(stack: Stack) -> dict:
    """What a plan is valid for: the code, the stack's state version and its dependencies' outputs."""
    return {
        "code": code_fingerprint(stack),
        "state": state_version(stack),
        "dependency_outputs": {dep.name: outputs_digest(dep) for dep in dependency_closure(stack)},
    }


def save_record(stack: Stack, summary: PlanSummary, made_from: dict) -> None:
    record = {"fingerprint": made_from, "summary": asdict(summary), "planned_at": time.time()}
    record_file(stack).write_text(json.dumps(record, indent=2))


def load_record(stack: Stack) -> dict | None:
    if not (record_file(stack).exists() and plan_file(stack).exists()):
        return None
    return json.loads(record_file(stack).read_text())


def code_stale_reason(stack: Stack, record: dict) -> str | None:
    if code_fingerprint(stack) != record["fingerprint"]["code"]:
        return "the code changed since it was planned"
    return None


def stale_reason(stack: Stack, record: dict) -> str | None:
    """Why a saved plan may no longer be applied, or None if it still may."""
    reason = code_stale_reason(stack, record)
    if reason:
        return reason
    before = record["fingerprint"]
    if state_version(stack) != before["state"]:
        return "its state changed since it was planned"
    for dependency in dependency_closure(stack):
        if outputs_digest(dependency) != before["dependency_outputs"].get(dependency.name):
            return f"the outputs of its dependency {dependency.name} changed since it was planned"
    return None


def discard(stack: Stack) -> None:
    for path in (plan_file(stack), record_file(stack)):
        path.unlink(missing_ok=True)


def json_messages(stdout: str):
    """The machine-readable messages of `terraform plan -json` output (other lines, e.g. init's, are skipped)."""
    for line in stdout.splitlines():
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def parse_json_stream(stack: Stack, stdout: str) -> PlanSummary:
    """Summary of `terraform plan -json` output: counts, changed and drifted addresses."""
    summary = PlanSummary(stack=stack.name)
    for message in json_messages(stdout):
        kind = message.get("type")
        if kind == "change_summary":
            changes = message["changes"]
            summary.add, summary.change, summary.destroy = changes["add"], changes["change"], changes["remove"]
        elif kind == "planned_change":
            summary.changed.append(message["change"]["resource"]["addr"])
        elif kind == "resource_drift":
            summary.drifted.append(message["change"]["resource"]["addr"])
    return summary
