"""The service releases of helm/releases/<env>.yaml as Argo CD sees them: the values `helm.deploy` would use, with
every infrastructure output replaced by a lookup of the cluster secret's annotations (metadata.py), so that git
holds no Terraform output and the same files serve every cluster of the environment.
"""

from __future__ import annotations

import re

import yaml

from tbyte.core.environment import Environment
from tbyte.gitops.metadata import output_annotation, release_references
from tbyte.gitops.references import annotation_lookup, escape_braces
from tbyte.helm.outputs import example_outputs
from tbyte.helm.releases import Release, releases

SENTINEL = "tbyte-ref--{}--"
SENTINEL_PATTERN = re.compile(r"tbyte-ref--([a-z0-9_]+)--")


def _placeholder_outputs(env: str) -> tuple[dict, dict[str, bool]]:
    """Outputs whose every referenced value is a sentinel, and whether each annotation holds a string."""
    examples = example_outputs(env)
    outputs: dict = {}
    strings: dict[str, bool] = {}
    for stack, keys in release_references(env):
        annotation = output_annotation(stack, keys)
        node = outputs.setdefault(stack, {})
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = SENTINEL.format(annotation)
        example = examples.get(stack, {})
        for key in keys:
            example = example.get(key) if isinstance(example, dict) else None
        strings[annotation] = isinstance(example, str) or example is None
    return outputs, strings


def _lookup(annotation: str, string: bool) -> str:
    # A string output is written as a JSON string (valid YAML whatever it holds); a number stays a number.
    return annotation_lookup(annotation, " | toJson" if string else "")


def values_text(release: Release, strings: dict[str, bool]) -> str:
    """The release's values as YAML, each output a goTemplate lookup of the cluster secret."""
    text = escape_braces(yaml.safe_dump(release.values, sort_keys=False, width=1000))

    def whole(match: re.Match) -> str:  # a scalar that is exactly one reference keeps its type
        return match.group(1) + _lookup(match.group(2), strings[match.group(2)])

    text = re.sub(r"(:\s|-\s)" + SENTINEL_PATTERN.pattern + r"$", whole, text, flags=re.M)
    return SENTINEL_PATTERN.sub(lambda match: annotation_lookup(match.group(1)), text)


def service_releases(env: Environment) -> list[tuple[Release, str]]:
    """Every release of the environment with its values text for Argo CD."""
    outputs, strings = _placeholder_outputs(env.name)
    return [(release, values_text(release, strings)) for release in releases(env, outputs)]
