"""helm.lint / template / diff / deploy / rollback / status: the releases of helm/releases/<env>.yaml.

Values that come from the infrastructure are resolved from the stacks' outputs (`invoke output --env E`), or
from --outputs-file (a JSON file in the same format; helm/examples/outputs-<env>.json are made-up ones for
rendering without applied infrastructure, which deploy refuses).
"""

import re
import sys

import invoke

from tbyte.core import arguments
from tbyte.core.console import say, table
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.paths import shown
from tbyte.core.task import environment, task
from tbyte.helm import deploy as releasing
from tbyte.helm import diff as diffing
from tbyte.helm import render
from tbyte.helm.outputs import example_outputs_file, load_outputs, outputs_from_file
from tbyte.helm.releases import environments, release_file, release_names

ENV_HELP = "environment: local, dev, stage or prod (the files of helm/releases/)"
RELEASE_HELP = "one release only (frontend, api, worker); default: every release of the environment"
OUTPUTS_HELP = ("JSON file of the infrastructure's outputs, {stack: {output: value}} as `invoke output --env E --json` "
                "prints it; default: read from the stacks' state (local falls back to "
                "helm/examples/outputs-local.json)")
OUTPUT_DIR_HELP = "directory of the rendered manifests, one <release>.yaml each (default: helm/rendered/<env>)"
IMAGE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
IMAGE_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def _environment(c, env) -> Environment:
    target = environment(c, env)
    release_file(target.name)  # an environment without a release file is refused too
    return target


def _release(target: Environment, release):
    if release is None:
        return None
    return arguments.choice("--release", release, release_names(target.name), "release")


@task(help={"env": "one environment only; default: every environment of helm/releases/",
            "outputs-file": "JSON file of outputs (one --env only); default: helm/examples/outputs-<env>.json"})
def lint(c, env=None, outputs_file=None):
    """helm lint --strict of the chart with the values of every release of every environment (or one).

    Lint checks the chart, not the infrastructure: the values are resolved from the example outputs unless
    --outputs-file is given. Each release is also rendered, since lint reports a template's `fail` only as info.
    """
    if outputs_file and not env:
        raise Refused("--outputs-file needs --env: the outputs belong to one environment")
    targets = [_environment(c, env)] if env else [environment(c, name) for name in environments()]
    rows = []
    for target in targets:
        outputs = outputs_from_file(outputs_file or example_outputs_file(target.name))
        for release in render.lint(target, outputs.values):
            rows.append([target.name, release, "ok"])
    table("helm lint --strict", ["environment", "release", "result"], rows)


@task(help={"env": ENV_HELP, "release": RELEASE_HELP, "output": OUTPUT_DIR_HELP, "outputs-file": OUTPUTS_HELP,
            "stdout": "print the manifests instead of writing files"})
def template(c, env, release=None, output=None, outputs_file=None, stdout=False):
    """Render the releases of an environment offline (helm template), one manifest file per release."""
    target = _environment(c, env)
    only = _release(target, release)
    directory = arguments.output_dir("--output", output) if output is not None else None
    outputs = load_outputs(target, outputs_file)
    manifests = render.render_all(target, outputs.values, only)
    if stdout:
        for text in manifests.values():
            sys.stdout.write(text)
        return
    for path in render.write_rendered(target, manifests, directory):
        say(f"[green]✓[/] {shown(path)}")
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
    target = _environment(c, env)
    only = _release(target, release)
    previous = arguments.output_dir("--output", output) if output is not None else None
    outputs = load_outputs(target, outputs_file)
    changed = False
    for result in diffing.diff(target, outputs, only, previous):
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
    target = _environment(c, env)
    only = _release(target, release)
    if image_tag is not None and not IMAGE_TAG.match(str(image_tag)):
        raise Refused(f"--image-tag {image_tag!r} is not an image tag (letters, digits, _ . -; at most 128)")
    if image_digest is not None and not IMAGE_DIGEST.match(str(image_digest)):
        raise Refused(f"--image-digest {image_digest!r} is not a digest (sha256: and 64 lowercase hex digits)")
    image = {key: value for key, value in (("tag", image_tag), ("digest", image_digest)) if value}
    if image_tag and not image_digest:
        image["digest"] = ""  # a new tag alone: the release file's digest belongs to its own tag
    outputs = load_outputs(target, outputs_file)
    releasing.deploy(target, outputs, only, dry_run, echo=lambda text: sys.stdout.write(text.rstrip("\n") + "\n"),
                     image=image or None)


@task(help={"env": ENV_HELP, "release": "the release to roll back (frontend, api, worker)",
            "revision": "the revision to return to (see helm.status); default: the previous one",
            "outputs-file": OUTPUTS_HELP})
def rollback(c, env, release, revision=None, outputs_file=None):
    """helm rollback of one release to a previous revision (waits until it is ready)."""
    target = _environment(c, env)
    name = arguments.choice("--release", release, release_names(target.name), "release")
    number = arguments.number("--revision", revision, 1, 1_000_000) if revision is not None else None
    outputs = load_outputs(target, outputs_file)
    releasing.rollback(target, outputs, name, number)
    say(f"[green]✓[/] {env}/{name} rolled back")


@task(help={"env": ENV_HELP, "outputs-file": OUTPUTS_HELP})
def status(c, env, outputs_file=None):
    """The deployed revision and status of every release of the environment."""
    target = _environment(c, env)
    outputs = load_outputs(target, outputs_file)
    rows = [[row["name"], row.get("revision", "-"), row["status"], row.get("updated", "-"), row.get("chart", "-")]
            for row in releasing.status(target, outputs)]
    table(f"Releases of {env}", ["release", "revision", "status", "updated", "chart"], rows)
