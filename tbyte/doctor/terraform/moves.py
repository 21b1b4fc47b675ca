"""A refactor that would destroy and recreate (TF004): in a stack's saved plan (`invoke plan`), a resource deleted
and one of the same type created with the same values is a renamed or moved resource; a `moved` block keeps it.

The plan is read with `terragrunt show -json` of the saved plan file; nothing is planned here.
"""

from __future__ import annotations

import json

from tbyte.doctor.actions import FileEdit, Invoke
from tbyte.doctor.findings import Finding
from tbyte.infra import plans, terragrunt
from tbyte.infra.graph import Stack
from tbyte.policy.plan_targets import SHOW

IGNORED = {"id", "arn", "owner_id"}


def resource_address(change: dict) -> str:
    prefix = f"{change['module_address']}." if change.get("module_address") else ""
    mode = "data." if change.get("mode") == "data" else ""
    return f"{prefix}{mode}{change['type']}.{change['name']}"


def same_values(created: dict, deleted: dict) -> bool:
    """Every value the new object will have (known at plan time) is the old one's."""
    after, unknown = created["change"].get("after") or {}, created["change"].get("after_unknown") or {}
    before = deleted["change"].get("before") or {}
    compared = [key for key, value in after.items()
                if key not in IGNORED and value is not None and not unknown.get(key)]
    return bool(compared) and all(after[key] == before.get(key) for key in compared)


def pairs(changes: list[dict]) -> list[tuple[dict, dict]]:
    deleted = [c for c in changes if c["change"]["actions"] == ["delete"]]
    created = [c for c in changes if c["change"]["actions"] == ["create"]]
    found = []
    for old in deleted:
        match = next((new for new in created if new["type"] == old["type"] and same_values(new, old)
                      and new.get("index") == old.get("index")), None)
        if match is not None:
            created.remove(match)
            found.append((old, match))
    return found


def moved_blocks(found: list[tuple[dict, dict]], changes: list[dict]) -> list[tuple[str, str]]:
    """(from, to) per resource when all of a resource's instances move alike, else per instance."""
    by_resource: dict[tuple[str, str], list] = {}
    for old, new in found:
        by_resource.setdefault((resource_address(old), resource_address(new)), []).append((old, new))
    blocks = []
    for (source, target), members in sorted(by_resource.items()):
        instances = [c for c in changes if resource_address(c) == source and c["change"]["actions"] == ["delete"]]
        if len(members) == len(instances):
            blocks.append((source, target))
        else:
            blocks += [(old["address"], new["address"]) for old, new in members]
    return blocks


def analyze(stack: Stack) -> tuple[list[Finding], list[str]]:
    record = plans.load_record(stack)
    if record is None or not (record["summary"]["add"] and record["summary"]["destroy"]):
        return [], []
    stale = plans.code_stale_reason(stack, record)
    if stale:
        return [], [f"{stack}: the saved plan is stale ({stale}); plan again to check it for recreated resources"]
    result = terragrunt.run(stack.env, stack.directory, *SHOW, str(plans.plan_file(stack).resolve()))
    if result.returncode != 0:
        return [], [f"{stack}: its saved plan could not be read: {terragrunt.first_error(result)}"]
    changes = json.loads(result.stdout).get("resource_changes") or []
    found = pairs(changes)
    if not found:
        return [], []
    blocks = moved_blocks(found, changes)
    text = "".join(f"\nmoved {{\n  from = {source}\n  to   = {target}\n}}\n" for source, target in blocks)
    evidence = [f"the saved plan deletes {old['address']} and creates {new['address']} with the same values"
                for old, new in found]
    return [Finding("TF004", "critical", f"stack {stack}", f"the saved plan would destroy and recreate {len(found)} "
                    "resource(s) that were only renamed or moved", tuple(evidence),
                    "tell Terraform about the new address with a `moved` block in the stack's module, then plan "
                    "again: the plan shows no change for them (the state follows the code on apply)",
                    (FileEdit(f"{stack.module}/moved.tf", None, text.lstrip("\n")),
                     Invoke.of("plan", "--env", stack.env.name, "--stack", stack.name)))], []
