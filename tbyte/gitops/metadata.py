"""What Terraform knows about a cluster, handed to Argo CD as annotations and labels of its cluster secret.

This is the gitops-bridge pattern: Terraform's outputs (account, region, VPC, cluster name, the add-ons' IRSA
role ARNs, the outputs the service releases refer to) never enter git; `gitops.bootstrap` writes them onto the
cluster secret, and every ApplicationSet reads them from there with its cluster generator
(`{{ .metadata.annotations.aws_vpc_id }}`). Labels `enable_<add-on>: "true"` say which add-ons a cluster
runs (local: the local-capable ones only).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.gitops.catalogue import Addon
from tbyte.helm.releases import REFERENCE, load_release_file

ENVIRONMENT_LABEL = "tbyte.io/environment"
SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"

# ${cluster.<key>} of the catalogue -> the annotation that carries it (gitops-bridge names).
CLUSTER_ANNOTATIONS = {
    "name": "aws_cluster_name",
    "region": "aws_region",
    "account_id": "aws_account_id",
    "vpc_id": "aws_vpc_id",
    "vpc_cidr": "aws_vpc_cidr",
    "environment": "environment",
}


def snake(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()


def enable_label(addon: Addon) -> str:
    return f"enable_{snake(addon.name)}"


def role_annotation(addon: Addon) -> str:
    return f"{snake(addon.name)}_iam_role_arn"


def output_annotation(stack: str, keys: list[str]) -> str:
    """The annotation carrying ${<stack>.<key>...} of a release file: tbyte_<stack>_<key>..."""
    return "tbyte_" + snake("_".join([stack, *keys]))


def release_references(env: str) -> list[tuple[str, list[str]]]:
    """The infrastructure outputs helm/releases/<env>.yaml refers to: (stack, keys), in order, once each."""
    document = load_release_file(env)
    text = json.dumps({"defaults": document.get("defaults"), "releases": document["releases"],
                       "settings": document.get("settings")})
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for match in REFERENCE.finditer(text):
        scope, keys = match.group(1), match.group(2)[1:].split(".")
        if scope not in ("env", "settings"):
            found[(scope, tuple(keys))] = None
    return [(stack, list(keys)) for stack, keys in found]


def _lookup(outputs: dict, stack: str, keys: list[str]):
    value = outputs.get(stack)
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise KeyError(".".join([stack, *keys]))
        value = value[key]
    if value is None or value == "(sensitive)":
        raise KeyError(".".join([stack, *keys]))
    return value


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@dataclass(frozen=True)
class ClusterMetadata:
    name: str
    annotations: dict[str, str]
    labels: dict[str, str]


def cluster_metadata(env: Environment, outputs: dict, addons: tuple[Addon, ...]) -> ClusterMetadata:
    """The cluster secret's annotations and labels of an environment, from its outputs and env.hcl."""
    missing: list[str] = []

    def get(stack: str, keys: list[str]):
        try:
            return _lookup(outputs, stack, keys)
        except KeyError as error:
            missing.append(error.args[0])
            return None

    name = get("eks", ["cluster_name"])
    annotations = {
        "aws_cluster_name": name,
        "aws_region": env.region,
        "aws_account_id": env.account_id,
        "aws_vpc_id": get("vpc", ["vpc_id"]),
        "aws_vpc_cidr": get("vpc", ["vpc_cidr"]),
        "environment": env.name,
    }
    for addon in addons:
        if addon.irsa:
            annotations[role_annotation(addon)] = get("iam", ["service_accounts", addon.irsa["role"], "role_arn"])
    for stack, keys in release_references(env.name):
        annotations[output_annotation(stack, keys)] = get(stack, keys)
    if missing:
        raise Refused(f"the outputs of {env} lack {', '.join(sorted(set(missing)))}: apply the stacks first, or "
                      f"render with example outputs: --outputs-file helm/examples/outputs-{env}.json")
    labels = {SECRET_TYPE_LABEL: "cluster", ENVIRONMENT_LABEL: env.name}
    for addon in addons:
        if not addon.is_bootstrap and (not env.is_local or addon.local.capable):
            labels[enable_label(addon)] = "true"
    return ClusterMetadata(str(name), {key: _text(value) for key, value in annotations.items()}, labels)
