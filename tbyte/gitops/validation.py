"""Custom resources checked against the upstream CRDs' OpenAPI schemas (from the pinned Go modules), strictly.

kubernetes-validate knows the built-in kinds only; the CRDs of Argo CD, the Prometheus Operator, External Secrets
and Argo Rollouts carry a structural schema that the API server would prune unknown fields with. Here an unknown
field is an error instead (an object with `properties` and no `additionalProperties` or
`x-kubernetes-preserve-unknown-fields` is closed), as are wrong types and missing required fields.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per CRD version loaded
class CrdSchema:
    group: str
    kind: str
    version: str
    schema: dict

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


def _strict(schema):
    """The CRD schema as JSON Schema: closed objects, int-or-string, nullable."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _strict(value) for key, value in schema.items()
              if not key.startswith("x-kubernetes-") and key != "nullable"}
    if schema.get("x-kubernetes-int-or-string"):
        result.pop("type", None)
        result["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and "type" in result:
        result["type"] = [result["type"], "null"]
    preserve = schema.get("x-kubernetes-preserve-unknown-fields")
    if "properties" in schema and "additionalProperties" not in schema and not preserve:
        result["additionalProperties"] = False
    return result


class _Loader(yaml.SafeLoader):
    """PyYAML reads a bare `=` (an enum value of some CRDs) as YAML 1.1's value tag: here it stays "="."""


_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def load_crds(paths: list[Path]) -> dict[tuple[str, str], CrdSchema]:
    """{(apiVersion, kind): schema} of every served version of the CRDs in the files."""
    found = {}
    for path in paths:
        for document in yaml.load_all(path.read_text(), Loader=_Loader):
            if not document or document.get("kind") != "CustomResourceDefinition":
                continue
            spec = document["spec"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                schema = _strict(version["schema"]["openAPIV3Schema"])
                crd = CrdSchema(spec["group"], spec["names"]["kind"], version["name"], schema)
                found[(crd.api_version, crd.kind)] = crd
    return found


@functools.lru_cache(maxsize=64)
def _validator(crd: CrdSchema) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(crd.schema)


def errors(document: dict, crds: dict[tuple[str, str], CrdSchema]) -> list[str]:
    """What is wrong with one custom resource (empty: valid); an unknown apiVersion/kind is an error too."""
    key = (document.get("apiVersion"), document.get("kind"))
    name = f"{document.get('kind')} {document.get('metadata', {}).get('name')}"
    if key not in crds:
        return [f"{name}: no CRD serves {key[0]} {key[1]}"]
    problems = []
    for error in sorted(_validator(crds[key]).iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(part) for part in error.absolute_path) or "(root)"
        problems.append(f"{name}: {where}: {error.message}")
    return problems
