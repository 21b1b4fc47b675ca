"""tenancy.check | matrix | template | install: the tenancy of platform/tenants.yaml in an environment's cluster.

The kubeconfig of a cluster: --kubeconfig and --kube-context, or by default
    local      the local control plane of tbyte/cluster (`invoke up`): tenancy.check as a member of a read-only
               group (a client certificate its CA signs), tenancy.install with its admin kubeconfig
    dev/...    $KUBECONFIG (or ~/.kube/config) and the context `aws eks update-kubeconfig` names after the
               cluster's ARN (arn:aws:eks:<region>:<account>:cluster/tbyte-<env>)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import invoke
from rich.table import Table

from tbyte.core import arguments, paths
from tbyte.core.console import results, say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused, TaskError
from tbyte.core.task import environment, task
from tbyte.tenancy import check as checking
from tbyte.tenancy import identity, manifests
from tbyte.tenancy.kube import Kube
from tbyte.tenancy.model import Tenancy, tenancy

ENV_HELP = "environment: local, dev, stage or prod (the folders of terragrunt/)"
KUBECONFIG_HELP = ("kubeconfig of the cluster (default: local's control plane from `invoke up`; else $KUBECONFIG or "
                   "~/.kube/config)")
CONTEXT_HELP = ("context of the kubeconfig (default: local's; else the cluster's ARN, as `aws eks update-kubeconfig` "
                "names it)")
LEVEL_SHORT = {"platform-admin": "admin", "break-glass": "glass", "team-developer": "dev", "read-only": "ro",
               "ci-deployer": "ci"}


class Differs(TaskError):
    """The API server's answers differ from the declaration."""


def _kube_access(target: Environment, kubeconfig, context, admin: bool = False) -> tuple[Path, str]:
    """The kubeconfig and context to use: the arguments, or the environment's defaults."""
    if kubeconfig is not None:
        path = Path(arguments.required("--kubeconfig", kubeconfig)).expanduser()
        if not path.is_file():
            raise Refused(f"--kubeconfig {path}: no such file")
        return path, arguments.required("--kube-context", context) if context is not None else _current_context(path)
    if target.is_local:
        return _local_access(target, context, admin)
    path = Path(os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or "~/.kube/config").expanduser()
    if not path.is_file():
        raise Refused(f"no kubeconfig at {path}: run `aws eks update-kubeconfig --name tbyte-{target.name}` with a "
                      "read-only role's credentials, or pass --kubeconfig")
    return path, context or f"arn:aws:eks:{target.region}:{target.account_id}:cluster/tbyte-{target.name}"


def _local_access(target: Environment, context, admin: bool) -> tuple[Path, str]:
    """The local control plane (tbyte/cluster): its admin kubeconfig to install; to check, a client certificate of a
    read-only group (the first team's), which is all the check needs, signed by the control plane's CA."""
    from tbyte.cluster.local import layout

    where = layout(target)
    if not where.ca.exists() or not where.kubeconfig().is_file():
        raise Refused(f"the local control plane ({where.endpoint}) was never started: `invoke up` (or "
                      "`invoke cluster.start`) first, or pass --kubeconfig and --kube-context")
    cluster_context = "tbyte-local"
    if admin:
        return where.kubeconfig(), context or cluster_context
    reader = next(group for group in tenancy(target.name).groups if group.level.name == "read-only")
    path = identity.client_kubeconfig(where.ca.cert_path, where.ca.key_path, where.endpoint, "tbyte:tenancy-check",
                                      (reader.kubernetes_group,), paths.TOOLCHAIN / "tenancy" / str(where.port),
                                      cluster_context)
    return path, context or cluster_context


def _current_context(path: Path) -> str:
    import yaml

    try:
        document = yaml.safe_load(path.read_text()) or {}
    except OSError as error:
        raise Refused(f"--kubeconfig {path} cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError:
        raise Refused(f"--kubeconfig {path} is not a kubeconfig (invalid YAML)") from None
    current = document.get("current-context") if isinstance(document, dict) else None
    if not current:
        raise Refused(f"--kubeconfig {path} has no current-context: pass --kube-context")
    return current


def _short(name: str) -> str:
    """A subject as the matrix shows it: `admin`, `core:dev`, `sa:tbyte/api`."""
    if name.startswith("sa:"):
        return name
    for level, short in LEVEL_SHORT.items():
        if name == level:
            return short
        if name.endswith(f"-{level}"):
            return f"{name[: -len(level) - 1]}:{short}"
    return name


def _tables(tenancy_: Tenancy, cells: list[tuple[str, str, str, bool, bool | None]]) -> None:
    """The matrix: a row per namespace and subject, a numbered column per request (legend above the table), then
    the cluster-wide requests. ✓ allowed, · denied, as declared; a red ✗ where the API server answered otherwise."""
    subjects = [subject.name for subject in tenancy_.subjects()]
    answers = {(subject, namespace, probe): (expected, allowed)
               for subject, namespace, probe, expected, allowed in cells}
    _table("namespaced requests", tenancy_.namespaced_probes, tenancy_.check_namespaces, subjects, answers, "")
    _table("cluster-wide requests", tenancy_.cluster_probes, [checking.CLUSTER], subjects, answers, "c")


def _table(title: str, probes, namespaces: list[str], subjects: list[str], answers: dict, prefix: str) -> None:
    legend = "  ".join(f"{prefix}{number} {probe}" for number, probe in enumerate(probes, start=1))
    view = Table(title=f"{title}: {legend}", title_justify="left", show_lines=False)
    view.add_column("namespace", no_wrap=True)
    view.add_column("subject", no_wrap=True)
    for number in range(1, len(probes) + 1):
        view.add_column(f"{prefix}{number}", justify="center")
    for namespace in namespaces:
        for index, subject in enumerate(subjects):
            row = [namespace or "(cluster)" if index == 0 else "", _short(subject)]
            for probe in probes:
                expected, allowed = answers[(subject, namespace, str(probe))]
                if allowed is None or allowed == expected:
                    row.append("✓" if expected else "·")
                else:
                    row.append("[bold red]✗[/]")
            view.add_row(*row, end_section=index == len(subjects) - 1)
    results.print(view)


@task(help={"env": ENV_HELP, "kubeconfig": KUBECONFIG_HELP, "kube-context": CONTEXT_HELP,
            "json": "print the cells as JSON on stdout"})
def check(c, env, kubeconfig=None, kube_context=None, json_=False):
    """The allow/deny matrix of platform/tenants.yaml, asked of the cluster with SubjectAccessReviews.

    Every group (as a member) and service account, every request of the file's `matrix`, in every namespace and
    cluster-wide. Needs only `create` on subjectaccessreviews (any read-only group's credentials). Exit 1 when
    any answer differs from the declaration.
    """
    target = environment(c, env)
    path, kube_context = _kube_access(target, kubeconfig, kube_context)
    declared = tenancy(target.name)
    kube = Kube.from_kubeconfig(path, kube_context)
    kube.request("GET", "/version")  # an unreachable server is refused before anything is printed
    say(f"asking the API server of context {kube_context} ({len(checking.cells_to_ask(declared))} reviews)")
    matrix = checking.ask(kube, declared)
    if json_:
        print(json.dumps(matrix.as_json(), indent=2))
    else:
        _tables(declared, [(cell.subject, cell.namespace, cell.probe, cell.expected, cell.allowed)
                           for cell in matrix.cells])
    differ = matrix.mismatches
    if differ:
        first = differ[0]
        raise Differs(f"{len(differ)} of {len(matrix.cells)} cells differ from platform/tenants.yaml, e.g. "
                      f"{first.subject} {first.probe} in {first.namespace or 'the cluster'}: "
                      f"{'allowed' if first.allowed else 'denied'} ({first.reason or 'no rule'})")
    say(f"[green]✓[/] {len(matrix.cells)} cells, every one as platform/tenants.yaml declares")


@task(help={"env": ENV_HELP, "json": "print the cells as JSON on stdout"})
def matrix(c, env, json_=False):
    """The allow/deny matrix platform/tenants.yaml declares for the environment (offline, no cluster)."""
    target = environment(c, env)
    declared = tenancy(target.name)
    cells = [(subject.name, namespace, str(probe), expected, None)
             for subject, namespace, probe, expected in checking.cells_to_ask(declared)]
    if json_:
        print(json.dumps({"environment": target.name, "cells": [
            {"subject": s, "namespace": ns, "probe": p, "expected": e} for s, ns, p, e, _ in cells]}, indent=2))
        return
    _tables(declared, cells)


@task(help={"env": ENV_HELP, "output": "write the manifests to this file instead of stdout",
            "values": "print the chart's values instead of the manifests"})
def template(c, env, output=None, values=False):
    """The tenancy chart rendered offline for the environment (helm/charts/tenancy)."""
    import yaml

    target = environment(c, env)
    declared = tenancy(target.name)
    text = yaml.safe_dump(manifests.values(declared), sort_keys=False) if values else manifests.render(declared)
    if output is None:
        sys.stdout.write(text)
        return
    path = arguments.new_file("--output", output)
    path.write_text(text)
    say(f"[green]✓[/] {path}")


@task(help={"env": ENV_HELP, "kubeconfig": KUBECONFIG_HELP, "kube-context": CONTEXT_HELP})
def install(c, env, kubeconfig=None, kube_context=None):
    """helm upgrade --install of the tenancy chart (release `tenancy` in kube-system), before any workload.

    Needs platform-admin (or cluster-admin) credentials: it creates namespaces, quotas and RBAC.
    """
    target = environment(c, env)
    path, kube_context = _kube_access(target, kubeconfig, kube_context, admin=True)
    manifests.install(tenancy(target.name), path, kube_context)


ns = invoke.Collection(check, matrix, template, install)
