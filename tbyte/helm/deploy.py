"""helm.deploy / rollback / status against the environment's cluster."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from tbyte.cluster.kubectl import Kubectl
from tbyte.core import process
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import ChangeFailed, Refused
from tbyte.core.values import deep_merge
from tbyte.helm.cluster import Cluster, cluster, require_aws_cli, require_reachable, write_kubeconfig
from tbyte.helm.commands import DEPLOY_TIMEOUT, deploy_command, rollback_command, status_command
from tbyte.helm.outputs import Outputs
from tbyte.helm.releases import load_release_file, releases
from tbyte.helm.render import WORK, helm_binary, helm_environment, render, values_file
from tbyte.helm.workloads import wait_for_rollout


def deploy(env: Environment, outputs: Outputs, only: str | None = None, dry_run: bool = False, log=say,
           echo=print, image: dict | None = None) -> list[list[str]]:
    """helm upgrade --install of every release (or one), in the order of the release file.

    dry_run: print the commands and the manifests they would apply (rendered offline), change nothing.
    image: {"tag": ..., "digest": ...} of a freshly built image, for one release (CI promotes it unchanged).
    Without dry_run the cluster must answer first: an unreachable endpoint fails at once.
    """
    planned = releases(env, outputs.values, only)
    if image:
        if only is None:
            raise Refused("an image tag or digest is one service's: name its release with --release")
        planned = [replace(release, values=deep_merge(release.values, {"image": image})) for release in planned]
    if outputs.example and not dry_run:
        raise Refused(f"{outputs.source} holds example outputs, not the {env} infrastructure: refusing to deploy "
                      "with them (use --dry-run to see what would be applied); nothing was deployed")
    target = cluster(env, outputs.values)
    config_path = WORK / env.name / "kubeconfig"
    if not dry_run:
        require_reachable(env, target, "deploying")
        require_aws_cli(env)
        config_path = write_kubeconfig(env, target, planned[0].namespace)
    helm = helm_binary()
    commands = []
    deployed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in planned:
            command = deploy_command(release, values_file(Path(directory), release, release.values), target.context,
                                     config_path, helm)
            commands.append(command)
            if dry_run:
                echo(f"# {' '.join(command)}")
                echo(render(release, helm))
                continue
            log(f"▶ {env}/{release.name}: helm upgrade --install (atomic, wait, {DEPLOY_TIMEOUT})")
            if process.stream(command, env=helm_environment()) != 0:
                message = f"deploying {env}/{release.name} failed (helm --atomic rolled the release back)"
                if not deployed:
                    raise Refused(f"{message}; nothing was deployed")
                raise ChangeFailed(f"{message}; already deployed: {', '.join(deployed)}; the releases after it "
                                   "were not deployed", f"fix the cause, then `invoke helm.deploy --env {env}` again")
            if (release.values.get("canary") or {}).get("enabled"):
                log(f"  {env}/{release.name}: waiting for the canary (steps and analysis) to finish")
                wait_for_rollout(Kubectl(config_path), release.namespace, release.name)
            deployed.append(release.name)
            log(f"✓ {env}/{release.name} deployed")
    return commands


def connect(env: Environment, outputs: Outputs, action: str) -> tuple[Cluster, Path]:
    """The cluster and a kubeconfig for it, after checking that it answers."""
    if outputs.example:
        raise Refused(f"{outputs.source} holds example outputs: there is no {env} cluster behind them")
    target = cluster(env, outputs.values)
    require_reachable(env, target, action)
    require_aws_cli(env)
    return target, write_kubeconfig(env, target, load_release_file(env.name)["namespace"])


def rollback(env: Environment, outputs: Outputs, release_name: str, revision: int | None = None) -> list[str]:
    (release,) = releases(env, outputs.values, release_name)
    target, config = connect(env, outputs, "a rollback")
    command = rollback_command(release, target.context, config, revision, helm_binary())
    if process.stream(command, env=helm_environment()) != 0:
        raise ChangeFailed(f"rollback of {env}/{release_name} failed",
                           f"see `invoke helm.status --env {env}` and retry with another --revision")
    return command


def status(env: Environment, outputs: Outputs) -> list[dict]:
    """Each release's status as `helm status -o json` reports it ({name, status: "not installed"} if absent)."""
    planned = releases(env, outputs.values)
    target, config = connect(env, outputs, "reading the release status")
    helm = helm_binary()
    rows = []
    for release in planned:
        result = subprocess.run(status_command(release, target.context, config, helm), capture_output=True, text=True,
                                env=helm_environment())
        if result.returncode != 0:
            if "not found" in result.stderr:
                rows.append({"name": release.name, "status": "not installed"})
                continue
            raise Refused(f"helm status of {env}/{release.name} failed: {result.stderr.strip()}")
        report = json.loads(result.stdout)
        info = report.get("info", {})
        rows.append({"name": release.name, "revision": report.get("version"), "status": info.get("status"),
                     "updated": info.get("last_deployed"), "chart": report.get("chart", {}).get("metadata", {})
                     .get("version")})
    return rows
