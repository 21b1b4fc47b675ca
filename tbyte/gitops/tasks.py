"""gitops.render / gitops.bootstrap: the platform's add-ons and services reconciled by Argo CD from git.

dev, stage and prod are GitOps environments (platform/gitops.yaml): their add-ons and services are what
platform/gitops/<env> says, which `invoke gitops.render --env E` writes and git reviews. `invoke helm.deploy` stays
for local and for emergencies. Terraform's outputs reach Argo CD only through the cluster secret that
`gitops.bootstrap` applies.
"""

import tempfile
from pathlib import Path

from tbyte.core import arguments
from tbyte.core.console import say, table
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused, TaskError
from tbyte.core.paths import shown
from tbyte.core.task import environment, task
from tbyte.gitops import bootstrap as bootstrapping
from tbyte.gitops import render as rendering
from tbyte.gitops.catalogue import addons
from tbyte.gitops.settings import settings
from tbyte.helm.outputs import Outputs, example_outputs_file, infrastructure_outputs, outputs_from_file

ENV_HELP = "environment: local, dev, stage or prod (terragrunt/<env>/env.hcl)"
OUTPUTS_HELP = ("JSON file of the infrastructure's outputs, as `invoke output --env E --json` prints it; default: "
                "the stacks' state")


def _outputs(target: Environment, outputs_file, review: bool) -> Outputs:
    """The outputs; for a review render, the example outputs stand in when the stacks cannot be read."""
    if outputs_file:
        return outputs_from_file(outputs_file)
    try:
        return infrastructure_outputs(target)
    except TaskError as error:
        if not review:
            raise
        example = example_outputs_file(target.name)
        say(f"[yellow]![/] {str(error).splitlines()[0]}\n  rendering with the example outputs {shown(example)}")
        return outputs_from_file(example)


@task(help={"env": ENV_HELP,
            "output": "folder to write every manifest into (bootstrap/ and apps/, for review); default: only the "
                      "git part, into platform/gitops/<env>",
            "outputs-file": OUTPUTS_HELP + " (or helm/examples/outputs-<env>.json when they cannot be read)"})
def render(c, env, output=None, outputs_file=None):
    """Render the environment's platform: Argo CD, its cluster secret, the ApplicationSets, the add-ons' manifests.

    Offline: the catalogue (platform/addons), the release files, the observability files and the outputs.
    """
    target = environment(c, env)
    if output is None:
        if target.name not in settings().environments:
            raise Refused(f"Argo CD does not reconcile {env} (platform/gitops.yaml): nothing of it goes to git; "
                          "review its render with --output DIR")
        directory = rendering.git_folder(target.name)
        written = rendering.write(rendering.apps(target), directory)
        say(f"[green]✓[/] {len(written)} files in {shown(directory)}: what Argo CD reconciles; commit them")
        return
    directory = arguments.output_dir("--output", output)
    outputs = _outputs(target, outputs_file, review=True)
    rendered = rendering.render(target, outputs.values)
    written = rendering.write(rendered.files, directory)
    rows = [[part, sum(1 for path in written if path.relative_to(directory).parts[0] == part)]
            for part in ("bootstrap", "apps")]
    table(f"gitops.render --env {env}", ["part", "files"], rows)
    say(f"[green]✓[/] {len(written)} files in {shown(directory)} (outputs from {outputs.source})")


@task(help={"env": ENV_HELP, "kubeconfig": "kubeconfig of the cluster (required)",
            "kube-context": "kube context of the kubeconfig; default: its current one", "outputs-file": OUTPUTS_HELP,
            "dry-run": "render and ask the API server to validate (helm --dry-run=server); change nothing"})
def bootstrap(c, env, kubeconfig, kube_context=None, outputs_file=None, dry_run=False):
    """Install Argo CD with the cluster secret (Terraform's outputs) and the root Application, by the pinned helm.

    From then on Argo CD reconciles platform/gitops/<env> from git (platform/gitops.yaml); run it again after
    the outputs change (a new IRSA role, say). Example outputs are refused: they describe no real cluster.
    """
    target = environment(c, env)
    kubeconfig = arguments.required("--kubeconfig", kubeconfig)
    outputs = _outputs(target, outputs_file, review=False)
    if outputs.example and not target.is_local:
        raise Refused(f"{outputs.source} holds example outputs: {env}'s cluster is described by its stacks' outputs")
    rendered = rendering.render(target, outputs.values)
    with tempfile.TemporaryDirectory(prefix="tbyte-gitops-") as work:
        rendering.write(rendered.part("bootstrap/"), Path(work))
        bootstrapping.apply(Path(work), Path(kubeconfig), kube_context, dry_run)
    gitops = settings()
    say(f"[green]✓[/] Argo CD {'validated' if dry_run else 'installed'}; it reconciles "
        f"{gitops.repository} {gitops.path(target.name)} at {gitops.revision}")


@task
def catalogue(c):
    """The add-on catalogue (platform/addons): chart, version, namespace, IRSA role, local or rendered only."""
    rows = []
    for addon in addons():
        chart = f"{addon.chart['name']} {addon.chart['version']}" if addon.chart else "bootstrap (Go module)"
        rows.append([addon.name, chart, addon.namespace, addon.irsa["role"] if addon.irsa else "-",
                     "installed" if addon.local.capable else "rendered"])
    table("Add-ons (platform/addons)", ["add-on", "chart", "namespace", "IRSA role", "local"], rows)
    for addon in addons():
        source = f"from {addon.module}" if addon.local.capable else addon.local.reason
        say(f"  {addon.name}: {source}")
