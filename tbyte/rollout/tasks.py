"""`invoke rollout.status` / `rollout.signal`: the Argo Rollouts canaries of the releases."""

import json
import re

from tbyte.cluster.kubectl import Kubectl
from tbyte.cluster.layout import Layout
from tbyte.core import arguments
from tbyte.core.console import show, table
from tbyte.core.environment import LOCAL
from tbyte.core.errors import Refused
from tbyte.core.task import environment, task
from tbyte.helm.deploy import connect
from tbyte.helm.outputs import load_outputs
from tbyte.helm.releases import load_release_file, release_names
from tbyte.rollout.signals import set_signal
from tbyte.rollout.status import rollout_status

ENV_HELP = "environment: local, dev, stage or prod"
RELEASE_HELP = "the release (frontend, api, worker)"
VERSION = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")


@task(help={"env": ENV_HELP, "release": RELEASE_HELP, "outputs-file": "JSON file of the infrastructure's outputs "
            "(as for helm.*; default: the stacks' state)", "json": "print one JSON object"})
def status(c, env, release, outputs_file=None, json_=False):
    """The canary of a release: phase, current step, weight (replica counts), the analysis and its measurements."""
    target = environment(c, env)
    name = arguments.choice("--release", release, release_names(target.name), "release")
    _, kubeconfig = connect(target, load_outputs(target, outputs_file), "reading the rollout")
    found = rollout_status(Kubectl(kubeconfig), load_release_file(target.name)["namespace"], name)
    if json_:
        print(json.dumps(found.as_dict()))
        return
    show(f"{target}/{name}: {found.phase}{' - ' + found.message if found.message else ''}")
    show(f"  step {found.step}; canary weight {found.weight}% ({found.canary_replicas} canary, "
         f"{found.stable_replicas} stable replicas)")
    show(f"  analysis {found.analysis}")
    if found.measurements:
        table("latest measurements", ["metric", "phase", "value"],
              [[m.metric, m.phase, m.value] for m in found.measurements])


def _rate(argument: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Refused(f"{argument} must be a number, not {value!r}") from None
    if not 0 <= number <= 1_000_000:
        raise Refused(f"{argument} must be between 0 and 1000000, not {value!r}")
    return number


@task(help={"release": RELEASE_HELP, "version": "the image tag whose canary reads these signals",
            "success-rate": "share of non-5xx responses to report, 0 to 1 (default 1.0)",
            "latency-p95": "p95 latency in seconds to report (default 0.05)"})
def signal(c, release, version, success_rate="1.0", latency_p95="0.05"):
    """local: what the canary analysis of a version will read (e.g. --success-rate 0.5 makes it abort)."""
    target = environment(c, LOCAL)
    name = arguments.choice("--release", release, release_names(target.name), "release")
    if not VERSION.match(str(version or "")):
        raise Refused(f"--version {version!r} is not an image tag (letters, digits, _ . -; at most 128)")
    rate = _rate("--success-rate", success_rate)
    if rate > 1:
        raise Refused(f"--success-rate must be between 0 and 1, not {success_rate!r}")
    set_signal(Layout.of(target.settings), load_release_file(target.name)["namespace"], name, version, rate,
               _rate("--latency-p95", latency_p95))
    show(f"the canary of {name} {version} will read success-rate {rate}, latency-p95 {latency_p95}s")
