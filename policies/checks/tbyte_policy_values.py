"""Reading resource attributes the way checkov hands them to a check, from Terraform code or from a plan.

checkov wraps values in lists: `from_port = 22` arrives as [22], a list attribute as [[...]], a block as
[{...}], and a plan's `tags_all` map as [{"environment": ["prod"], ...}] (a plan's `tags` map unwrapped).
Pure Python, no checkov import, so that the logic is unit-tested in the repository's own environment.
"""

from __future__ import annotations

REQUIRED_TAGS = ("environment", "owner", "cost-center")
PROD = "prod"
WORLD = ("0.0.0.0/0", "::/0")


def scalar(value):
    """The single value behind checkov's list wrapping (None when absent or empty)."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return value


def flat(value) -> list:
    """Every scalar in a (nested) list value."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [value]
    return [item for element in value for item in flat(element)]


def unresolved(value) -> bool:
    """A Terraform expression checkov could not evaluate (a variable without a default, a reference...)."""
    return isinstance(value, str) and ("${" in value or value.startswith(("var.", "local.", "module.", "data.")))


def tag_map(conf: dict, key: str = "tags_all") -> dict | None:
    """The tags of a resource as {name: value}; None when the attribute is absent (not a plan, or not taggable)."""
    if key not in conf:
        return None
    value = conf[key]
    while isinstance(value, list):
        if not value:
            return {}
        value = value[0]
    if value is None:
        return {}
    if not isinstance(value, dict):
        return None
    return {name: scalar(item) for name, item in value.items()}


def missing_tags(conf: dict) -> list[str] | None:
    """The required tags a planned resource lacks (empty values count as missing); None if it has no tags_all."""
    tags = tag_map(conf, "tags_all")
    if tags is None:
        return None
    return [name for name in REQUIRED_TAGS if not str(tags.get(name) or "").strip()]


def environment(conf: dict) -> str | None:
    """The planned resource's `environment` tag (from tags_all, which includes the provider's default_tags)."""
    tags = tag_map(conf, "tags_all")
    if tags is None:
        tags = tag_map(conf, "tags")
    value = (tags or {}).get("environment")
    return str(value) if value is not None and not unresolved(value) else None


def boolean(value) -> bool | None:
    """True/False from a checkov value (bools, "true"/"false" strings); None when unknown."""
    value = scalar(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _port(value) -> int | None:
    value = scalar(value)
    if isinstance(value, bool) or value is None or unresolved(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


ALL_PROTOCOLS = {"-1", "all"}
TCP = {"tcp", "6"}


def opens_port(protocol, from_port, to_port, port: int) -> bool | None:
    """Whether a rule's protocol and port range admit TCP `port`; None when a value is not known."""
    protocol = scalar(protocol)
    if protocol is None or unresolved(protocol):
        return None
    protocol = str(protocol).lower()
    if protocol in ALL_PROTOCOLS:
        return True
    if protocol not in TCP:
        return False
    low, high = _port(from_port), _port(to_port)
    if low is None or high is None:
        return None
    return low <= port <= high


def world_sources(*values) -> list[str]:
    """The world-wide CIDRs (0.0.0.0/0, ::/0) among the given source values."""
    return [cidr for value in values for cidr in flat(value) if isinstance(cidr, str) and cidr.strip() in WORLD]


def open_admin_ports(rule: dict, ports: tuple[int, ...], protocol_key: str = "protocol",
                     cidr_keys: tuple[str, ...] = ("cidr_blocks", "ipv6_cidr_blocks")) -> list[str]:
    """"<port> from <cidr>" for each of `ports` the ingress rule opens to the world."""
    sources = world_sources(*(rule.get(key) for key in cidr_keys))
    if not sources:
        return []
    opened = []
    for port in ports:
        if opens_port(rule.get(protocol_key), rule.get("from_port"), rule.get("to_port"), port):
            opened += [f"{port} from {cidr}" for cidr in sources]
    return opened


RBAC_RULE_KEYS = ("verbs", "resources", "apiGroups")


def rbac_wildcards(rules) -> list[str]:
    """"rules[<i>].<key>" for every wildcard verb, resource or API group of a Role's or ClusterRole's rules (all of
    them: checkov's CKV_K8S_49 looks at the first rule only)."""
    found = []
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        for key in RBAC_RULE_KEYS:
            values = rule.get(key)
            if isinstance(values, list) and any(isinstance(value, str) and "*" in value for value in values):
                found.append(f"rules[{index}].{key}")
    return found
