"""Saved plans: one per stack under <plans_dir>/<env>/, with a record of what it was made from.

A plan file holds state values in plain text: it, its record and the logs are private (0600 in a 0700
folder). The record names the plan by its SHA-256 and the run that made it, so a plan is never applied with
a record of another run, and says what the plan is valid for (the code, the stack's state version, its
dependencies' outputs), so that a stale plan is refused.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tbyte.core import paths
from tbyte.core.files import write_private
from tbyte.infra.backend import outputs_digest, state_version
from tbyte.infra.graph import Stack, graph

# What Terraform reads from a module folder besides its .tf files (templates, policies); READMEs do not count.
MODULE_SUFFIXES = {".tf", ".tftpl", ".tpl", ".json", ".yaml", ".yml"}
RUN_ID = uuid.uuid4().hex  # this process: a record written by another run never matches its plan


@dataclass
class PlanSummary:
    stack: str
    add: int = 0
    change: int = 0
    destroy: int = 0
    changed: list[str] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)  # address -> create, update, delete, replace...
    drifted: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.add or self.change or self.destroy)


def plan_file(stack: Stack) -> Path:
    return stack.env.plans_dir / f"{stack.name}.tfplan"


def record_file(stack: Stack) -> Path:
    return stack.env.plans_dir / f"{stack.name}.json"


def log_file(stack: Stack, action: str) -> Path:
    return stack.env.plans_dir / f"{stack.name}.{action}.log"


def code_files(stack: Stack) -> list[Path]:
    """Every file whose change could change the stack's plan: what Terragrunt reads for it, the folders of every
    module it uses (templates too) and the provider locks."""
    files = {paths.ROOT / name for name in stack.reading}
    for folder in (paths.ROOT / name for name in stack.modules):
        files.update(path for path in folder.rglob("*") if path.suffix in MODULE_SUFFIXES and path.is_file()
                     and ".terraform" not in path.parts)
    files.update(paths.TERRAGRUNT.glob(".terraform.lock*.hcl"))
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
        "dependency_outputs": {dep.name: outputs_digest(dep) for dep in graph(stack.env).closure(stack)},
    }


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_record(stack: Stack, summary: PlanSummary, made_from: dict) -> None:
    record = {"fingerprint": made_from, "summary": asdict(summary), "planned_at": time.time(), "run": RUN_ID,
              "plan_sha256": sha256_file(plan_file(stack))}
    write_private(record_file(stack), json.dumps(record, indent=2))


def load_record(stack: Stack) -> dict | None:
    """The record of the stack's saved plan, or None when there is no plan, or a plan without its own record."""
    if not (record_file(stack).exists() and plan_file(stack).exists()):
        return None
    try:
        record = json.loads(record_file(stack).read_text())
    except json.JSONDecodeError:
        return None
    if not isinstance(record, dict) or record.get("plan_sha256") != sha256_file(plan_file(stack)):
        return None
    return record


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
    for dependency in graph(stack.env).closure(stack):
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
            address = message["change"]["resource"]["addr"]
            summary.changed.append(address)
            summary.actions[address] = message["change"].get("action", "?")
        elif kind == "resource_drift":
            summary.drifted.append(message["change"]["resource"]["addr"])
    return summary
