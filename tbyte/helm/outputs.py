"""The infrastructure's outputs the release values refer to: read from the stacks' states, or from a JSON file.

helm/examples/outputs-<env>.json hold made-up outputs for rendering without applied infrastructure; they are
marked `_example` and refused by deploy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tbyte.cluster.layout import Layout
from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused, TaskError
from tbyte.core.files import read_bounded
from tbyte.helm.releases import unresolved

EXAMPLES = paths.HELM / "examples"
EXAMPLE_MARKER = "_example"
MAX_OUTPUTS_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Outputs:
    """The outputs of an environment's stacks, {stack: {output: value}}, and where they came from."""

    values: dict
    source: str
    example: bool = False


def example_outputs_file(env: str) -> Path:
    return EXAMPLES / f"outputs-{env}.json"


def outputs_from_file(path: str | Path, argument: str = "--outputs-file") -> Outputs:
    """Outputs from a JSON file in the format of `invoke output --env E --json`."""
    path = Path(path).expanduser()
    try:
        data = json.loads(read_bounded(path, argument, MAX_OUTPUTS_BYTES))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Refused(f"{argument} {path} is not JSON: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for k, v in data.items() if not k.startswith("_")):
        raise Refused(f"{argument} {path} must be one JSON object {{stack: {{output: value}}}}")
    values = {key: value for key, value in data.items() if not key.startswith("_")}
    return Outputs(values, str(path), example=EXAMPLE_MARKER in data)


def example_outputs(env: str) -> dict:
    """The made-up outputs of helm/examples/outputs-<env>.json, {stack: {output: value}}."""
    return outputs_from_file(example_outputs_file(env)).values


def infrastructure_outputs(env: Environment) -> Outputs:
    """The outputs read from the stacks' states (`invoke output --env E`)."""
    from tbyte.infra.outputs import output  # rendering from a file needs none of infra

    try:
        values = output(env)
    except Refused as error:
        raise Refused(f"{error}\n(to render without the infrastructure, pass "
                      f"--outputs-file {paths.shown(example_outputs_file(env.name))})") from None
    if env.is_local and Layout.of(env.settings).outputs():
        values["cluster"] = Layout.of(env.settings).outputs()  # the local control plane, as if a stack
    return Outputs(values, f"the state of the {env} stacks")


def load_outputs(env: Environment, outputs_file: str | Path | None = None, log=say) -> Outputs:
    """Outputs from outputs_file when given, else from the stacks' states.

    For `local` only, when its stacks are not applied (or the emulator cannot be reached), the example
    outputs stand in, with a warning: local is a rendering target only.
    """
    if outputs_file:
        return outputs_from_file(outputs_file)
    if env.is_local:
        try:
            outputs = infrastructure_outputs(env)
            missing = unresolved(env, outputs.values)
            if not missing:
                return outputs
            reason = f"the local stacks lack {', '.join(missing)}"
        except TaskError as error:
            reason = str(error).splitlines()[0]
        example = example_outputs_file(env.name)
        log(f"[yellow]![/] {reason}: rendering local with the example outputs {paths.shown(example)}")
        return outputs_from_file(example)
    return infrastructure_outputs(env)
