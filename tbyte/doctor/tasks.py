"""`invoke doctor.k8s | doctor.aws | doctor.terraform | doctor.latency`: diagnosis from live data, read-only;
`invoke doctor.drill`: break the local platform in one known way and practise the diagnosis and its fix.

Exit codes: 0 nothing found, 2 something found (the table, the evidence and the fix of each finding), 1 the
check could not run (one `error:` line). The guides behind the finding codes are in docs/runbooks/.
"""

import invoke

from tbyte.core import arguments
from tbyte.core.errors import Refused
from tbyte.core.task import task
from tbyte.doctor import context, render
from tbyte.doctor.findings import Report

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
JSON_HELP = "print one JSON object instead of the table"


def finish(report: Report, json_: bool) -> None:
    if json_:
        print(render.as_json(report))
    else:
        render.show(report)
    if report.exit_code:
        raise invoke.Exit(code=report.exit_code)


@task(help={"env": ENV_HELP, "namespace": "one namespace only (default: every namespace)", "json": JSON_HELP})
def k8s(c, env, namespace=None, json_=False):
    """A2: the cluster's pods, Services, Ingresses, nodes, autoscalers, budgets, Deployments and Rollouts."""
    from tbyte.doctor.k8s import check

    target = context.environment(c, env)
    finish(check.run(target, context.namespace_argument(namespace)), json_)


@task(help={"env": ENV_HELP, "json": JSON_HELP})
def aws(c, env, json_=False):
    """B2: internet egress of private subnets, S3 access, Lambdas in the VPC, nodes to database, logs."""
    from tbyte.doctor.aws import check

    finish(check.run(context.environment(c, env)), json_)


@task(help={"env": ENV_HELP, "stack": "one stack only (default: every stack)", "json": JSON_HELP})
def terraform(c, env, stack=None, json_=False):
    """C2: dependency cycles, access denied, refactors that would recreate, stale locks, provider locks."""
    from tbyte.doctor.terraform import check

    finish(check.run(context.environment(c, env), stack), json_)


@task(help={"env": ENV_HELP, "service": "the service (a release of helm/releases/<env>.yaml)",
            "minutes": "how far back to read the metrics (default 30)", "json": JSON_HELP})
def latency(c, env, service, minutes="30", json_=False):
    """D2: where a service's time goes, as a ranked list of suspects with their numbers."""
    from tbyte.doctor.latency import check
    from tbyte.helm.releases import release_names

    target = context.environment(c, env)
    name = arguments.choice("--service", service, release_names(target.name), "service")
    finish(check.run(target, name, arguments.number("--minutes", minutes, 5, 1440)), json_)


CHECKS = ("k8s", "aws", "terraform", "latency")


@task(default=True, positional=["check"], help={
    "check": "k8s, aws, terraform or latency", "env": ENV_HELP, "namespace": "k8s: one namespace only",
    "stack": "terraform: one stack only", "service": "latency: the service", "minutes": "latency: how far back",
    "json": JSON_HELP})
def diagnose(c, check, env, namespace=None, stack=None, service=None, minutes="30", json_=False):
    """`invoke doctor <check> --env E ...`: the same as `invoke doctor.<check>`."""
    arguments.choice("check", check, list(CHECKS), "check")
    given = {"--namespace": (namespace, "k8s"), "--stack": (stack, "terraform"), "--service": (service, "latency")}
    for flag, (value, owner) in given.items():
        if value is not None and check != owner:
            raise Refused(f"{flag} belongs to `doctor {owner}`, not `doctor {check}`")
    if check == "k8s":
        return k8s(c, env, namespace, json_)
    if check == "aws":
        return aws(c, env, json_)
    if check == "terraform":
        return terraform(c, env, stack, json_)
    return latency(c, env, service, minutes, json_)


@task(help={"scenario": "the drill (`invoke doctor.drill --list` names them; `all` with --record)",
            "env": "local (drills break only the local platform)",
            "fix": "apply the fix the doctor prints, then diagnose again",
            "restore": "put the platform back as the drill found it (after practising a fix by hand)",
            "record": "write the doctor's output into its guide under docs/runbooks/", "list": "list the drills"})
def drill(c, scenario=None, env="local", fix=False, restore=False, record=False, list_=False):
    """Break the local platform in one known way and run the doctor on it; --fix applies its printed fix."""
    from tbyte.doctor.drills import runner

    runner.task(c, scenario, env, fix, restore, record, list_)
