"""Running a drill: break, diagnose until the doctor reports the drill's finding, apply the fix it printed,
diagnose until the check is clean, put the platform back. In tests and, by hand, `invoke doctor.drill`."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from tbyte.core import arguments
from tbyte.core.console import say, show, table
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.doctor import context, render
from tbyte.doctor.drills.bench import Bench
from tbyte.doctor.drills.registry import Drill, drills
from tbyte.doctor.findings import Finding, Report

POLL = 1.0


def diagnose(drill: Drill, bench: Bench) -> Report:
    """The drill's check, as `invoke doctor <check>` runs it (in the working copy, for Terraform's)."""
    if drill.check == "k8s":
        from tbyte.doctor.k8s import check
        return check.run(bench.env)
    if drill.check == "aws":
        from tbyte.doctor.aws import check
        return check.run(bench.env)
    if drill.check == "latency":
        from tbyte.doctor.latency import check
        return check.run(bench.env, drill.options["service"], int(drill.options.get("minutes", 30)))
    result = subprocess.run([sys.executable, "-m", "invoke", "doctor.terraform", "--env", bench.env.name, "--json"],
                            cwd=bench.root, env=bench.variables(), capture_output=True, text=True)
    if result.returncode not in (0, 2):
        raise Refused(f"drill: doctor terraform failed: {(result.stderr or result.stdout).strip()[-600:]}")
    return Report.from_dict(json.loads(result.stdout))


def until(drill: Drill, bench: Bench, done, what: str) -> Report:
    deadline = time.monotonic() + drill.settle
    while True:
        report = diagnose(drill, bench)
        if done(report):
            return report
        if time.monotonic() > deadline:
            found = ", ".join(f"{code} {obj}" for code, obj in report.codes()) or "nothing"
            raise Refused(f"drill {drill.name}: {what} within {drill.settle:.0f}s; the doctor reports {found}")
        time.sleep(POLL)


def found(drill: Drill, report: Report) -> Finding | None:
    return next((finding for finding in report.sorted_findings() if drill.matches(finding)), None)


def broken(drill: Drill, bench: Bench) -> Report:
    """Break, and diagnose until the doctor names it (a break left unrestored is restored first)."""
    if bench.stash:
        restore(drill, bench)
    drill.break_(bench)
    bench.save()
    return until(drill, bench, lambda report: found(drill, report) is not None,
                 f"the doctor did not report {drill.code}")


def fix(drill: Drill, bench: Bench) -> tuple[Report, Report]:
    """Apply the printed fix of the drill's finding, diagnose until clean, put the platform back."""
    before = until(drill, bench, lambda report: found(drill, report) is not None,
                   f"the doctor did not report {drill.code}")
    finding = found(drill, before)
    if finding.actions:
        for action in finding.actions:
            action.apply(bench)
    elif drill.fixed is not None:
        drill.fixed(bench)
    else:
        raise Refused(f"drill {drill.name}: the doctor's {finding.code} finding prints no command to apply")
    after = until(drill, bench, lambda report: not report.findings, "the check did not become clean after the fix")
    restore(drill, bench)
    return before, after


def restore(drill: Drill, bench: Bench) -> None:
    drill.restore(bench)
    bench.stash.clear()
    bench.save()


def cycle(drill: Drill, bench: Bench) -> tuple[Report, Report]:
    """The whole drill: (the report of the broken platform, the report after the printed fix)."""
    try:
        broken(drill, bench)
        return fix(drill, bench)
    except BaseException:
        restore(drill, bench)
        raise


def task(c, scenario, env, fix_: bool, restore_: bool, record: bool, listing: bool) -> None:
    known = drills()
    if listing or scenario is None:
        table("Drills (invoke doctor.drill --scenario NAME --env local)", ["scenario", "check", "code", "breaks"],
              [[d.name, d.check, d.code, d.breaks] for d in known.values()])
        return
    if scenario == "all" and record:
        for name in known:
            task(c, name, env, False, False, True, False)
        return
    drill = known[arguments.choice("--scenario", scenario, list(known), "drill")]
    target = context.environment(c, env)
    if not target.is_local:
        raise Refused(f"--env {env}: drills break things, so they run only against local")
    context.require_reachable(target)
    bench = bench_for(drill, target)
    if restore_:
        restore(drill, bench)
        say(f"[green]✓[/] {drill.name}: the platform is back as it was")
    elif record:
        from tbyte.doctor.drills import record as recording

        before, after = cycle(drill, bench)
        path = recording.write(drill, before, after)
        say(f"[green]✓[/] recorded {drill.name} in {path}")
    elif fix_:
        before, after = fix(drill, bench)
        show("the fix the doctor printed, applied:" if found(drill, before).actions else
             "the fix is code or capacity; the drill fed the metrics of the fixed service:")
        for action in found(drill, before).actions:
            show(f"  $ {action.command()}")
        render.show(after)
    else:
        render.show(broken(drill, bench))
        say(f"practise: fix it by hand and run `invoke doctor {drill.check} --env local` until it is clean; "
            f"`invoke doctor.drill --scenario {drill.name} --fix` applies the printed fix; "
            f"`--restore` puts the platform back as it was")


def bench_for(drill: Drill, env: Environment) -> Bench:
    stash = context.work_dir(env) / "drills" / f"{drill.name}.json"
    if drill.check == "terraform":
        from tbyte.doctor.drills import workcopy

        return workcopy.bench(env, stash)
    return Bench(env, stash_file=stash)
