"""The references of the catalogue's values and manifests, resolved for Argo CD or for a local install.

    ${env.<local>}       a local of terragrunt/<env>/env.hcl (region, environment...): resolved when rendering,
                         so it may appear anywhere, manifests included
    ${cluster.<key>}     what Terraform knows of the cluster (name, region, account_id, vpc_id, vpc_cidr,
                         environment): chart values only
    ${irsa.role_arn}     the ARN of the add-on's own IRSA role: chart values only

For Argo CD, ${cluster.*} and ${irsa.role_arn} become goTemplate expressions the ApplicationSet's cluster
generator fills in from the cluster secret (metadata.py); every other `{{` is escaped, since the ApplicationSet
templates every string of its template (Alertmanager's own templates are strings of the values). For a local
install they are resolved from the cluster metadata directly.
"""

from __future__ import annotations

import re

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.gitops.catalogue import Addon
from tbyte.gitops.metadata import CLUSTER_ANNOTATIONS, ClusterMetadata, role_annotation

REFERENCE = re.compile(r"\$\{(env|cluster|irsa)\.([A-Za-z0-9_]+)\}")


def _walk(value, text_function):
    if isinstance(value, dict):
        return {key: _walk(item, text_function) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, text_function) for item in value]
    if isinstance(value, str):
        return text_function(value)
    return value


def _annotation(addon: Addon, scope: str, key: str) -> str:
    if scope == "cluster":
        if key not in CLUSTER_ANNOTATIONS:
            raise Refused(f"{addon.name}: ${{cluster.{key}}} is unknown; known: {', '.join(CLUSTER_ANNOTATIONS)}")
        return CLUSTER_ANNOTATIONS[key]
    if key != "role_arn" or not addon.irsa:
        raise Refused(f"{addon.name}: ${{irsa.{key}}} needs `irsa` in the catalogue file and is only role_arn")
    return role_annotation(addon)


def _env_value(env: Environment, addon: Addon, key: str) -> str:
    if key == "environment":
        return env.name
    if key not in env.values:
        raise Refused(f"{addon.name}: ${{env.{key}}}: terragrunt/{env}/env.hcl has no local {key!r}")
    return str(env.values[key])


def resolve_env(value, env: Environment, addon: Addon, allow_cluster: bool = True):
    """value with ${env.*} resolved; ${cluster.*} and ${irsa.*} refused where they cannot be (manifests)."""

    def text(string: str) -> str:
        def replace(match: re.Match) -> str:
            scope, key = match.groups()
            if scope == "env":
                return _env_value(env, addon, key)
            if not allow_cluster:
                raise Refused(f"{addon.name}: {match.group(0)} in a manifest: manifests live in git, which holds "
                              "no Terraform output; use it in the chart values")
            return match.group(0)

        return REFERENCE.sub(replace, string)

    return _walk(value, text)


def annotation_lookup(annotation: str, suffix: str = "") -> str:
    """The goTemplate expression of a cluster-secret annotation (dot access: with missingkey=error a missing
    annotation fails the ApplicationSet instead of rendering an empty string)."""
    return "{{ .metadata.annotations." + annotation + suffix + " }}"


def escape_braces(text: str) -> str:
    """A string the ApplicationSet's goTemplate renders back to itself."""
    return text.replace("{{", '{{ "{{" }}')


def for_argocd(value, env: Environment, addon: Addon):
    """Chart values for an ApplicationSet template: ${env.*} resolved, the rest as cluster-secret lookups."""

    def text(string: str) -> str:
        string = escape_braces(string)

        def replace(match: re.Match) -> str:
            scope, key = match.groups()
            if scope == "env":
                return _env_value(env, addon, key)
            return annotation_lookup(_annotation(addon, scope, key))

        return REFERENCE.sub(replace, string)

    return _walk(value, text)


def for_local(value, env: Environment, addon: Addon, metadata: ClusterMetadata):
    """Chart values for a direct install: every reference resolved from env.hcl and the cluster metadata."""

    def text(string: str) -> str:
        def replace(match: re.Match) -> str:
            scope, key = match.groups()
            if scope == "env":
                return _env_value(env, addon, key)
            return metadata.annotations[_annotation(addon, scope, key)]

        return REFERENCE.sub(replace, string)

    return _walk(value, text)
