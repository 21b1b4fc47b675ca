"""The release files of every environment and the infrastructure's outputs their values refer to.

helm/releases/<env>.yaml lists the releases of an environment (the chart helm/charts/tbyte-service once per
service) with their values. Values the infrastructure knows are written there as references and resolved
here, at render time:

    ${<stack>.<output>[.<key>...]}   an output of a stack of the environment, from `invoke output --env E`
                                     or from a JSON file in the same format (`invoke output --env E --json`)
    ${env.<name>}                    a local of terragrunt/<env>/env.hcl (region, account_id, ...)
    ${settings.<name>}               a setting of the release file itself (e.g. the ACM certificate ARN)

A string that is exactly one reference takes the referenced value with its type; references inside a longer
string are replaced by their text. Where the outputs come from: outputs.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.values import deep_merge

RELEASES = paths.HELM / "releases"

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_-]+)+)\}")
RELEASE_FILE_KEYS = {"namespace", "apiVersions", "settings", "defaults", "releases"}


@dataclass
class Release:
    """One release of an environment, its values resolved."""

    env: str
    name: str
    namespace: str
    values: dict
    kube_version: str
    api_versions: tuple[str, ...] = field(default_factory=tuple)


def environments() -> list[str]:
    """The environments that have a release file."""
    return sorted(path.stem for path in RELEASES.glob("*.yaml"))


def release_file(env: str) -> Path:
    if env not in environments():
        raise Refused(f"unknown environment {env!r}: no helm/releases/{env}.yaml; "
                      f"the environments are: {', '.join(environments())}")
    return RELEASES / f"{env}.yaml"


def load_release_file(env: str) -> dict:
    path = release_file(env)
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise Refused(f"helm/releases/{env}.yaml is not valid YAML: {error}") from None
    unknown = set(document) - RELEASE_FILE_KEYS
    if unknown:
        raise Refused(f"helm/releases/{env}.yaml: unknown keys {', '.join(sorted(unknown))}; "
                        f"allowed: {', '.join(sorted(RELEASE_FILE_KEYS))}")
    if not document.get("namespace") or not isinstance(document.get("releases"), dict) or not document["releases"]:
        raise Refused(f"helm/releases/{env}.yaml needs `namespace` and at least one entry under `releases`")
    return document


def release_names(env: str) -> list[str]:
    return list(load_release_file(env)["releases"])


def _lookup(scopes: dict, scope: str, keys: list[str]):
    """The referenced value, or a KeyError naming what is missing."""
    if scope not in scopes:
        raise KeyError(f"no stack, env or settings named {scope!r}")
    value = scopes[scope]
    if value is None:
        raise KeyError(f"the {scope} stack has no outputs (not applied?)")
    for depth, key in enumerate(keys):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            where = ".".join([scope, *keys[:depth]])
            raise KeyError(f"{where} has no {key!r}")
    if value == "(sensitive)":
        raise KeyError("the output is sensitive (masked); it cannot be rendered into Helm values")
    return value


def resolve(value, scopes: dict, problems: list[str]):
    """value with every ${scope.key...} reference replaced; unresolvable references are added to problems."""
    if isinstance(value, dict):
        return {key: resolve(item, scopes, problems) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, scopes, problems) for item in value]
    if not isinstance(value, str) or "${" not in value:
        return value

    def lookup(match: re.Match):
        try:
            return _lookup(scopes, match.group(1), match.group(2)[1:].split("."))
        except KeyError as error:
            problems.append(f"{match.group(0)}: {error.args[0]}")
            return match.group(0)

    if "${" in REFERENCE.sub("", value):
        problems.append(f"{value!r}: malformed reference (the form is ${{stack.output}})")
        return value
    whole = REFERENCE.fullmatch(value)
    if whole:
        return lookup(whole)
    return REFERENCE.sub(lambda match: _text(lookup(match)), value)


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _scopes(env: Environment, document: dict, outputs: dict, problems: list[str]) -> dict:
    scopes = {stack: values for stack, values in outputs.items()}
    scopes["env"] = env.values
    # Settings may refer to outputs and env.hcl, not to other settings.
    scopes["settings"] = resolve(document.get("settings") or {}, {**scopes, "settings": {}}, problems)
    return scopes


def unresolved(env: Environment, outputs: dict) -> list[str]:
    """The references of helm/releases/<env>.yaml that the outputs cannot resolve."""
    document = load_release_file(env.name)
    problems: list[str] = []
    scopes = _scopes(env, document, outputs, problems)
    resolve({"defaults": document.get("defaults") or {}, "releases": document["releases"]}, scopes, problems)
    return sorted({problem.split(":")[0] for problem in problems})


def kube_version(env: Environment) -> str:
    """The Kubernetes version of the environment's cluster (env.hcl kubernetes_version), as x.y.0."""
    version = str(env.values.get("kubernetes_version", "1.35"))
    return version if version.count(".") >= 2 else f"{version}.0"


def releases(env: Environment, outputs: dict, only: str | None = None) -> list[Release]:
    """The releases of an environment (or one), their values merged over the defaults and resolved."""
    document = load_release_file(env.name)
    names = list(document["releases"])
    if only is not None and only not in names:
        raise Refused(f"unknown release {only!r} in {env}; the releases are: {', '.join(names)}")
    problems: list[str] = []
    scopes = _scopes(env, document, outputs, problems)
    defaults = document.get("defaults") or {}
    result = []
    for name in names if only is None else [only]:
        values = deep_merge(defaults, document["releases"][name] or {})
        result.append(Release(env.name, name, document["namespace"], resolve(values, scopes, problems),
                              kube_version(env), tuple(document.get("apiVersions") or ())))
    if problems:
        listed = "\n  ".join(dict.fromkeys(problems))
        raise Refused(f"helm/releases/{env}.yaml: references that cannot be resolved:\n  {listed}\n"
                      "apply the stacks first, or render with example outputs: "
                      f"--outputs-file helm/examples/outputs-{env}.json")
    return result


