"""The CI/CD flow, drawn from .github/workflows/*.yml: one box per workflow, its trigger, its jobs and their
`needs`, each job with the GitHub environment it is bound to, the AWS role it assumes (the repository variable
its role input names) and the composite actions that do its work."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.docs.diagrams import Cluster, Diagram, Edge, Node, identifier

WORKFLOWS = paths.ROOT / ".github" / "workflows"
ORDER = ("infrastructure-pr", "infrastructure-deploy", "application", "drift")  # the story's order; others after
ROLE = re.compile(r"AWS_([A-Z]+)_ROLE_ARN")
LOCAL_ACTION = re.compile(r"^\./\.github/actions/(?P<name>[\w-]+)$")
EXPRESSION = re.compile(r"\$\{\{\s*(?P<expression>[^}]+?)\s*\}\}")


def workflows() -> list[Path]:
    found = sorted(WORKFLOWS.glob("*.yml"))
    return sorted(found, key=lambda path: (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem))


def trigger(document: dict) -> str:
    """The events of `on:` in words (PyYAML reads the key `on` as true)."""
    events = document.get("on", document.get(True)) or {}
    if isinstance(events, str):
        events = {events: None}
    words = []
    for event, settings in events.items():
        settings = settings or {}
        if event == "pull_request":
            words.append("pull request to " + ", ".join(settings.get("branches", ["any branch"])))
        elif event == "push":
            where = ", ".join(settings.get("branches", ["any branch"]))
            scope = settings.get("paths")
            words.append(f"push to {where}" + (f" ({scope[0]})" if scope and len(scope) == 1 else
                                               " (infrastructure paths)" if scope else ""))
        elif event == "schedule":
            words.extend(f"schedule {entry['cron']} (UTC)" for entry in settings)
        elif event == "workflow_dispatch":
            words.append("manual run")
        else:
            words.append(event)
    return "\n".join(words)


def _matrix_values(job: dict, name: str) -> list[str]:
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    values = [str(entry[name]) for entry in matrix.get("include", []) if name in entry]
    if isinstance(matrix.get(name), list):
        values.extend(str(value) for value in matrix[name])
    return values


def job_title(job_id: str, job: dict) -> str:
    def word(match: re.Match) -> str:
        expression = match["expression"]
        if expression.startswith("matrix."):
            values = _matrix_values(job, expression.removeprefix("matrix."))
            return ", ".join(values) if values else "each " + expression.removeprefix("matrix.")
        return expression

    return EXPRESSION.sub(word, str(job.get("name", job_id)))


def roles(job: dict) -> list[str]:
    """The AWS roles a job assumes: the repository variables its steps name (directly or through the matrix)."""
    text = yaml.safe_dump(job)
    found = {match[1].lower() for match in ROLE.finditer(text)}
    return sorted(found)


def actions(job: dict) -> list[str]:
    used = []
    for step in job.get("steps", []):
        uses = str(step.get("uses", ""))
        if (match := LOCAL_ACTION.match(uses)) and match["name"] != "bootstrap":
            used.append(match["name"])
        elif uses.startswith("aquasecurity/trivy-action"):
            used.append("Trivy")
        elif uses.startswith("github/codeql-action/upload-sarif"):
            used.append("SARIF upload")
    return list(dict.fromkeys(used))


def job_node(workflow: str, job_id: str, job: dict) -> Node:
    lines = [job_title(job_id, job)]
    environment = job.get("environment")
    if isinstance(environment, dict):
        environment = environment.get("name")
    if environment:
        lines.append(f"environment: {environment}")
    assumed = roles(job)
    if assumed:
        lines.append(" / ".join(f"{role} role" for role in assumed) + " (OIDC)")
    used = actions(job)
    if used:
        lines.append(", ".join(used))
    kind = "gated" if environment else "job"
    return Node(identifier(workflow, job_id), "\n".join(lines), kind)


def diagram() -> Diagram:
    result = Diagram("cicd", "CI/CD: the GitHub Actions workflows (.github/workflows)", "TB",
                     source="the jobs, `needs`, environments and role variables of .github/workflows/*.yml")
    deploy_trigger = None
    last_pr_job = None
    for path in workflows():
        document = yaml.safe_load(path.read_text())
        jobs = document.get("jobs", {})
        name = path.stem
        start = Node(identifier(name, "trigger"), trigger(document), "external", "oval")
        cluster = Cluster(identifier(name), f"{path.name}", "group", [start])
        for job_id, job in jobs.items():
            cluster.nodes.append(job_node(name, job_id, job))
            needs = job.get("needs") or []
            needs = [needs] if isinstance(needs, str) else needs
            environment = job.get("environment")
            environment = environment.get("name") if isinstance(environment, dict) else environment
            pair = [need for need in needs if environment and need.endswith(f"-{environment}")]
            if pair:  # the plan job of the same environment: drawn beside its apply job
                result.ranks.append([identifier(name, pair[0]), identifier(name, job_id)])
            for need in needs:
                result.edges.append(Edge(identifier(name, need), identifier(name, job_id)))
            if not needs:
                result.edges.append(Edge(start.id, identifier(name, job_id)))
        result.clusters.append(cluster)
        if name == "infrastructure-pr" and jobs:
            last_pr_job = identifier(name, list(jobs)[-1])
        if name == "infrastructure-deploy":
            deploy_trigger = start.id
    result.edges = reduced(result.edges)
    if last_pr_job and deploy_trigger:
        result.edges.append(Edge(last_pr_job, deploy_trigger, "review, merge", dashed=True))
    return result


def reduced(edges: list[Edge]) -> list[Edge]:
    """The `needs` without those another path already implies (plan-stage needs plan-dev and apply-dev, which
    itself needs plan-dev: one arrow from apply-dev)."""
    following: dict[str, set[str]] = {}
    for edge in edges:
        following.setdefault(edge.source, set()).add(edge.target)

    def reachable(start: str, goal: str, skip: Edge) -> bool:
        pending = [target for target in following.get(start, ()) if target != skip.target]
        seen = set()
        while pending:
            current = pending.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                pending.extend(following.get(current, ()))
        return False

    return [edge for edge in edges if not reachable(edge.source, edge.target, edge)]
