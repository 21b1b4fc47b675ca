"""The GitHub Actions workflows and local composite actions under .github/, as the tests read them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tbyte.core import paths

GITHUB = paths.ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
ACTIONS = GITHUB / "actions"
ENVIRONMENTS = ("dev", "stage", "prod")


@dataclass
class Document:
    path: Path
    text: str
    data: dict

    @property
    def name(self) -> str:
        return self.path.name if self.path.parent == WORKFLOWS else self.path.parent.name


def load(path: Path) -> Document:
    text = path.read_text()
    data = yaml.safe_load(text)
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return Document(path, text, data)


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def action_files() -> list[Path]:
    return sorted([*ACTIONS.glob("*/action.yml"), *ACTIONS.glob("*/action.yaml")])


def steps(job_or_action: dict) -> list[dict]:
    """The steps of a workflow job or of a composite action."""
    if "runs" in job_or_action:
        return job_or_action["runs"].get("steps", [])
    return job_or_action.get("steps", [])


def reachable_uses(job: dict, actions: dict[str, Document]) -> list[str]:
    """Every `uses:` a job runs, the steps of the local composite actions it calls included."""
    found, pending = [], list(steps(job))
    while pending:
        step = pending.pop(0)
        uses = step.get("uses")
        if not uses:
            continue
        found.append(uses)
        if uses.startswith("./"):
            pending.extend(steps(actions[uses].data))
    return found


def reachable_steps(job: dict, actions: dict[str, Document]) -> list[dict]:
    """Every step a job runs, the steps of the local composite actions it calls included (depth first)."""
    found = []
    for step in steps(job):
        found.append(step)
        uses = step.get("uses", "")
        if uses.startswith("./"):
            found.extend(reachable_steps(actions[uses].data, actions))
    return found


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def ancestors(jobs: dict[str, dict], name: str) -> set[str]:
    found, pending = set(), needs(jobs[name])
    while pending:
        parent = pending.pop()
        if parent not in found:
            found.add(parent)
            pending.extend(needs(jobs[parent]))
    return found
