"""Kubernetes RBAC as the API server evaluates it, for the rules of platform/tenants.yaml: which requests a set
of PolicyRules allows, and the requests (probes) of the allow/deny matrix.

A probe is written `<verb> <resource>[.<group>][/<subresource>] [<name>]`, like `patch deployments.apps`,
`create pods/exec` or `bind clusterroles.rbac.authorization.k8s.io cluster-admin`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind",
         "escalate", "approve", "sign", "use", "proxy", "*"}
WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection", "impersonate", "bind", "escalate",
               "approve", "sign"}
_RESOURCE = re.compile(r"^(?P<resource>[a-z][a-z0-9-]*)(?:\.(?P<group>[a-z0-9.-]+?))?(?:/(?P<sub>[a-z]+))?$")


@dataclass(frozen=True)
class Probe:
    """One request of the matrix: the resource attributes of a SubjectAccessReview (without the namespace)."""

    verb: str
    resource: str
    group: str = ""
    subresource: str = ""
    name: str = ""

    @classmethod
    def parse(cls, text: str) -> Probe:
        parts = str(text).split()
        if len(parts) not in (2, 3) or parts[0] not in VERBS - {"*"}:
            raise ValueError(f"{text!r} is not `<verb> <resource>[.<group>][/<subresource>] [<name>]` "
                             f"with a verb of {', '.join(sorted(VERBS - {'*'}))}")
        match = _RESOURCE.match(parts[1])
        if not match:
            raise ValueError(f"{text!r}: {parts[1]!r} is not <resource>[.<group>][/<subresource>]")
        return cls(parts[0], match["resource"], match["group"] or "", match["sub"] or "",
                   parts[2] if len(parts) == 3 else "")

    def __str__(self) -> str:
        group = f".{self.group}" if self.group else ""
        sub = f"/{self.subresource}" if self.subresource else ""
        name = f" {self.name}" if self.name else ""
        return f"{self.verb} {self.resource}{group}{sub}{name}"

    @property
    def writes(self) -> bool:
        return self.verb in WRITE_VERBS

    def resource_attributes(self, namespace: str) -> dict:
        """The `resourceAttributes` of a SubjectAccessReview for this probe in `namespace` ("" cluster-wide)."""
        attributes = {"verb": self.verb, "group": self.group, "resource": self.resource}
        if self.subresource:
            attributes["subresource"] = self.subresource
        if self.name:
            attributes["name"] = self.name
        if namespace:
            attributes["namespace"] = namespace
        return attributes


def _matches(values: list[str], value: str) -> bool:
    return "*" in values or value in values


def rule_allows(rule: dict, probe: Probe) -> bool:
    """Whether one PolicyRule allows the probe (as the RBAC authorizer's RuleAllows decides)."""
    if "nonResourceURLs" in rule:
        return False
    resource = f"{probe.resource}/{probe.subresource}" if probe.subresource else probe.resource
    resources = rule.get("resources") or []
    resource_ok = "*" in resources or resource in resources or (
        probe.subresource and f"*/{probe.subresource}" in resources)
    names = rule.get("resourceNames") or []
    return (_matches(rule.get("verbs") or [], probe.verb) and _matches(rule.get("apiGroups") or [], probe.group)
            and bool(resource_ok) and (not names or probe.name in names))


def allows(rules: list[dict], probe: Probe) -> bool:
    return any(rule_allows(rule, probe) for rule in rules)


def has_wildcard(rule: dict) -> bool:
    """A rule with a wildcard verb, resource or API group."""
    return any("*" in str(value) for key in ("verbs", "resources", "apiGroups") for value in rule.get(key) or [])
