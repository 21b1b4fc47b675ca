"""`invoke doctor terraform`: cycles first (they keep Terragrunt from reading the stacks at all), then each stack's
latest run log, saved plan, lock, and the environment's provider lock and stray lock objects."""

from __future__ import annotations

from pathlib import Path

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.doctor.context import require_reachable
from tbyte.doctor.findings import Report
from tbyte.doctor.terraform import access, cycles, locks, moves, providers
from tbyte.infra import plans
from tbyte.infra.graph import Stack, graph

LOGS = ("plan", "apply", "destroy", "drift")


def latest_log(stack: Stack) -> Path | None:
    found = [plans.log_file(stack, action) for action in LOGS if plans.log_file(stack, action).exists()]
    return max(found, key=lambda path: path.stat().st_mtime, default=None)


def run(env: Environment, only: str | None = None) -> Report:
    report = Report("terraform", env.name, f"the stacks of terragrunt/{env.name}" + (f" ({only})" if only else ""))
    report.add(cycles.stack_cycle(env))
    if report.findings:
        report.notes.append("Terragrunt cannot order the stacks while they form a cycle: the other checks wait for it")
        return report
    try:
        stacks = graph(env)
    except Refused as error:
        report.notes.append(f"the stacks could not be read: {error}")
        return report
    chosen = [stacks.get(only)] if only else list(stacks.stacks.values())
    require_reachable(env)
    for stack in chosen:
        log = latest_log(stack)
        if log is not None:
            text = log.read_text(errors="replace")
            for finding in (access.finding(env, stack, log.name, text),
                            cycles.resource_cycle(str(stack), text, paths.ROOT / stack.module)):
                if finding:
                    report.findings.append(finding)
        found, notes = moves.analyze(stack)
        report.add(found)
        report.notes.extend(notes)
        lock = locks.stale_lock(stack)
        if lock:
            report.findings.append(lock)
    report.add(locks.orphaned_locks(env, list(stacks.stacks.values())))
    report.add(providers.analyze(env, chosen))
    return report
