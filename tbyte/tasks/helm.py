"""helm.lint / template / diff / deploy / rollback / status: the releases of helm/releases/<env>.yaml.

Values that come from the infrastructure are resolved from the stacks' outputs (`invoke output --env E`), or
from --outputs-file (a JSON file in the same format; helm/examples/outputs-<env>.json are made-up ones for
rendering without applied infrastructure, which deploy refuses).
"""

import sys

import invoke

from tbyte import helm
from tbyte.console import say, table
from tbyte.errors import UserError
from tbyte.tasks.base import task

ENV_HELP = "environment: local, dev, stage or prod (the files of helm/releases/)"
RELEASE_HELP = "one release only (frontend, api, worker); default: every release of the environment"
OUTPUTS_HELP = ("JSON file of the infrastructure's outputs, {stack: {output: value}} as `invoke output --env E --json` "
                "prints it; default: read from the stacks' state (local falls back to "
                "helm/examples/outputs-local.json)")
OUTPUT_DIR_HELP = "directory of the rendered manifests, one <release>.yaml each (default: helm/rendered/<env>)"


def _outputs(env, outputs_file):
    helm.release_file(env)  # an unknown environment is refused before anything is read
    return helm.load_outputs(env, outputs_file, log=say)


@task(help={"env": "one environment only; default: every environment of helm/releases/",
            "outputs-file": "JSON file of outputs (one --env only); default: helm/examples/outputs-<env>.json"})
def lint(c, env=None, outputs_file=None):
    """helm lint --strict of the chart with the values of every release of every environment (or one).

    Lint checks the chart, not the infrastructure: the values are resolved from the example outputs unless
    --outputs-file is given. Each release is also rendered, since lint reports a template's `fail` only as info.
    """
    if outputs_file and not env:
        raise UserError("--outputs-file needs --env: the outputs belong to one environment")
    envs = [env] if env else helm.environments()
    rows = []
    for name in envs:
        helm.release_file(name)
        outputs = helm.outputs_from_file(outputs_file or helm.example_outputs_file(name))
        for release in helm.lint(name, outputs.values):
            rows.append([name, release, "ok"])
    table("helm lint --strict", ["environment", "release", "result"], rows)


@task(help={"env": ENV_HELP, "release": RELEASE_HELP, "output": OUTPUT_DIR_HELP, "outputs-file": OUTPUTS_HELP,
            "stdout": "print the manifests instead of writing files"})
def template(c, env, release=None, output=None, outputs_file=None, stdout=False):
    """Render the releases of an environment offline (helm template), one manifest file per release."""
    outputs = _outputs(env, outputs_file)
    manifests = helm.render_all(env, outputs.values, release)
    if stdout:
        for text in manifests.values():
            sys.stdout.write(text)
        return
    for path in helm.write_rendered(env, manifests, output):
        say(f"[green]✓[/] {helm._shown(path)}")
    say(f"rendered with the outputs from {outputs.source}")


@task(help={"env": ENV_HELP, "release": RELEASE_HELP, "outputs-file": OUTPUTS_HELP,
            "output": "directory of the previous render to compare with when no cluster is reachable "
                      "(default: helm/rendered/<env>)",
            "exit-code": "exit 2 when something differs, 0 when nothing does"})
def diff(c, env, release=None, outputs_file=None, output=None, exit_code=False):
    """Unified diff of the rendered manifests against the deployed ones, or else the previous render.

    With a reachable cluster (real outputs, endpoint answering within 3s, AWS CLI present) the comparison is
    with `helm get manifest`; otherwise with the files `invoke helm.template` wrote (--output).
    """
    outputs = _outputs(env, outputs_file)
    changed = False
    for result in helm.diff(env, outputs, release, output, log=say):
        if result.changed:
            changed = True
            sys.stdout.write(result.text)
        else:
            say(f"[green]✓[/] {result.release}: no change against {result.against}")
    if changed and exit_code:
        raise invoke.Exit(code=2)


@task(help={"env": ENV_HELP, "release": RELEASE_HELP, "outputs-file": OUTPUTS_HELP,
            "dry-run": "print the helm commands and the manifests they would apply (offline); change nothing",
            "image-tag": "the image tag to deploy instead of the release file's (CI: the commit SHA); needs --release",
            "image-digest": "the image digest (sha256:...) to pin with it; needs --release"})
def deploy(c, env, release=None, outputs_file=None, dry_run=False, image_tag=None, image_digest=None):
    """helm upgrade --install --atomic --wait of every release (or one) into the environment's EKS cluster.

    The kube context is the cluster's ARN, in a kubeconfig written from the eks outputs (endpoint, CA) whose
    token comes from `aws eks get-token`. An unreachable cluster fails at once, before anything runs.
    """
    outputs = _outputs(env, outputs_file)
    image = {key: value for key, value in (("tag", image_tag), ("digest", image_digest)) if value}
    helm.deploy(env, outputs, release, dry_run, log=say, echo=lambda text: sys.stdout.write(text.rstrip("\n") + "\n"),
                image=image or None)


@task(help={"env": ENV_HELP, "release": "the release to roll back (frontend, api, worker)",
            "revision": "the revision to return to (see helm.status); default: the previous one",
            "outputs-file": OUTPUTS_HELP})
def rollback(c, env, release, revision=None, outputs_file=None):
    """helm rollback of one release to a previous revision (waits until it is ready)."""
    outputs = _outputs(env, outputs_file)
    helm.rollback(env, outputs, release, int(revision) if revision is not None else None)
    say(f"[green]✓[/] {env}/{release} rolled back")


@task(help={"env": ENV_HELP, "outputs-file": OUTPUTS_HELP})
def status(c, env, outputs_file=None):
    """The deployed revision and status of every release of the environment."""
    outputs = _outputs(env, outputs_file)
    rows = [[row["name"], row.get("revision", "-"), row["status"], row.get("updated", "-"), row.get("chart", "-")]
            for row in helm.status(env, outputs)]
    table(f"Releases of {env}", ["release", "revision", "status", "updated", "chart"], rows)
