"""The outputs of an environment's stacks, read from their states."""

from __future__ import annotations

from tbyte.core.environment import Environment
from tbyte.infra.backend import outputs
from tbyte.infra.graph import graph
from tbyte.infra.preflight import prepare


def output(env: Environment) -> dict[str, dict]:
    """Every stack's outputs, read from its state; sensitive values are masked."""
    stacks = graph(env)
    prepare(env)
    values = {}
    for name, stack in stacks.stacks.items():
        recorded = outputs(stack)
        if recorded:
            values[name] = {key: "(sensitive)" if out.get("sensitive") else out["value"]
                            for key, out in recorded.items()}
    return values
