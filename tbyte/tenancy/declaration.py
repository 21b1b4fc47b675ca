"""platform/tenants.yaml, read and checked: every mistake is refused with one line naming the key.

    load() -> Declaration     the whole file, validated (levels, sizes, platform, teams, matrix)

What an environment makes of it (groups, namespaces, the expected matrix) is in model.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.environment import environments
from tbyte.core.errors import Refused
from tbyte.tenancy import rbac
from tbyte.tenancy.access_policies import ACCESS_POLICIES, BUILT_IN_CLUSTER_ROLES

TENANTS = paths.ROOT / "platform" / "tenants.yaml"

# The one level allowed wildcard verbs or resources, and the one allowed the built-in cluster-admin.
WILDCARD_LEVEL = "platform-admin"
CLUSTER_ADMIN_LEVEL = "break-glass"
POD_SECURITY = ("privileged", "baseline", "restricted")
PLATFORM = "platform"

NAME = re.compile(r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$")
NAMESPACE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
SERVICE_ACCOUNT = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
MEMBER = re.compile(r"^arn:aws:iam::(\d{12}|\{account_id\}):(user|role)/[A-Za-z0-9+=,.@_/{}-]{1,200}$")
CHECK_ID = re.compile(r"^(CKV2?_K8S_\d+|CKV_TBYTE_\d+)$")
RESERVED_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
RULE_KEYS = {"apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"}
LEVEL_KEYS = {"scope", "description", "rules", "cluster_rules", "cluster_role", "eks_access_policy", "mfa",
              "environments", "max_session_hours", "checkov_skips"}
SIZE_KEYS = {"quota", "container"}
CONTAINER_KEYS = {"defaultRequest", "default", "max"}
TOP_KEYS = {"levels", "sizes", "platform", "unmanaged_namespaces", "teams", "matrix"}


def refuse(where: str, what: str):
    raise Refused(f"{paths.shown(TENANTS)}: {where}: {what}")


@dataclass(frozen=True)
class Level:
    name: str
    scope: str  # "cluster" (platform members, cluster-wide) or "team" (a team's members, its namespaces)
    description: str
    rules: tuple  # the level's own PolicyRules
    cluster_rules: tuple  # team levels: rules granted cluster-wide (a ClusterRole)
    cluster_role: str | None  # a built-in ClusterRole bound instead of own rules (cluster-admin)
    eks_access_policy: str | None
    mfa: bool
    environments: tuple[str, ...]
    max_session_hours: int
    checkov_skips: dict = field(default_factory=dict)

    @property
    def role_rules(self) -> list[dict]:
        """Every rule of the level's Role or ClusterRole: its access policy's, then its own."""
        if self.cluster_role:
            return list(BUILT_IN_CLUSTER_ROLES[self.cluster_role])
        policy = ACCESS_POLICIES[self.eks_access_policy]["rules"] if self.eks_access_policy else []
        return [*policy, *self.rules]


@dataclass(frozen=True)
class NamespaceDecl:
    name: str
    owner: str  # a team, or "platform"
    sizes: dict  # environment -> size
    pod_security: str
    reason: str


@dataclass(frozen=True)
class Team:
    name: str
    description: str
    namespaces: tuple[NamespaceDecl, ...]
    service_accounts: dict  # namespace -> (names)
    members: dict  # level -> (member ARNs, unresolved)


@dataclass(frozen=True)
class Declaration:
    levels: dict  # name -> Level
    sizes: dict  # name -> {"quota": {...}, "container": {...}}
    platform_members: dict  # cluster level -> (member ARNs)
    platform_namespaces: tuple[NamespaceDecl, ...]
    unmanaged_namespaces: tuple[str, ...]
    teams: dict  # name -> Team
    namespaced_probes: tuple[rbac.Probe, ...]
    cluster_probes: tuple[rbac.Probe, ...]


def _mapping(value, where: str, keys: set[str] | None = None, required: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        refuse(where, "must be a mapping")
    if keys is not None:
        unknown = sorted(set(value) - keys)
        if unknown:
            refuse(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(keys))}")
    for key in required:
        if key not in value:
            refuse(where, f"{key} is required")
    return value


def _strings(value, where: str, pattern: re.Pattern | None = None, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        refuse(where, "must be a non-empty list" if not allow_empty else "must be a list")
    for item in value:
        if not isinstance(item, str) or (pattern is not None and not pattern.match(item)):
            refuse(where, f"{item!r} is not valid" + (f" (must match {pattern.pattern})" if pattern else ""))
    if len(set(value)) != len(value):
        refuse(where, "lists an entry twice")
    return tuple(value)


def _rules(value, where: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        refuse(where, "must be a list of RBAC rules")
    rules = []
    for index, rule in enumerate(value):
        at = f"{where}[{index}]"
        _mapping(rule, at, RULE_KEYS, ("verbs",))
        verbs = _strings(rule["verbs"], f"{at}.verbs")
        unknown = sorted(set(verbs) - rbac.VERBS)
        if unknown:
            refuse(f"{at}.verbs", f"unknown verb(s) {', '.join(unknown)}")
        if "nonResourceURLs" not in rule:
            _mapping(rule, at, RULE_KEYS, ("apiGroups", "resources"))
            _strings(rule["apiGroups"], f"{at}.apiGroups")
            _strings(rule["resources"], f"{at}.resources")
        rules.append({key: list(rule[key]) for key in ("apiGroups", "resources", "resourceNames", "nonResourceURLs",
                                                        "verbs") if key in rule})
    return tuple(rules)


def _level(name: str, value, envs: list[str]) -> Level:
    where = f"levels.{name}"
    _mapping(value, where, LEVEL_KEYS, ("scope", "description"))
    scope = value["scope"]
    if scope not in ("cluster", "team"):
        refuse(f"{where}.scope", f"{scope!r} is not cluster or team")
    rules = _rules(value.get("rules"), f"{where}.rules")
    cluster_rules = _rules(value.get("cluster_rules"), f"{where}.cluster_rules")
    if cluster_rules and scope != "team":
        refuse(f"{where}.cluster_rules", "only team levels have cluster_rules (a cluster level's rules apply "
                                         "cluster-wide)")
    cluster_role = value.get("cluster_role")
    if cluster_role is not None:
        if name != CLUSTER_ADMIN_LEVEL or cluster_role not in BUILT_IN_CLUSTER_ROLES:
            refuse(f"{where}.cluster_role", f"only {CLUSTER_ADMIN_LEVEL} binds a built-in ClusterRole "
                                            f"({', '.join(BUILT_IN_CLUSTER_ROLES)}); declare rules instead")
        if rules or scope != "cluster":
            refuse(where, "a level with cluster_role is cluster-scoped and declares no rules")
    elif not rules:
        refuse(where, "declares no rules and no cluster_role: it would grant nothing")
    for index, rule in enumerate((*rules, *cluster_rules)):
        if rbac.has_wildcard(rule) and name != WILDCARD_LEVEL:
            refuse(f"{where}.rules[{index}]", f"wildcard verbs, resources or API groups are allowed only for "
                                              f"{WILDCARD_LEVEL}; list them")
    policy = value.get("eks_access_policy")
    if policy is not None:
        if policy not in ACCESS_POLICIES:
            refuse(f"{where}.eks_access_policy",
                   f"unknown access policy {policy!r}; known: {', '.join(ACCESS_POLICIES)}")
        wanted = "cluster" if scope == "cluster" else "namespace"
        if ACCESS_POLICIES[policy]["scope"] != wanted:
            refuse(f"{where}.eks_access_policy", f"{policy} is not used at {wanted} scope on this platform")
        if policy == "AmazonEKSClusterAdminPolicy" and name != CLUSTER_ADMIN_LEVEL:
            refuse(f"{where}.eks_access_policy", f"only {CLUSTER_ADMIN_LEVEL} may have cluster-admin rights")
    level_envs = _strings(value.get("environments", envs), f"{where}.environments")
    unknown_envs = sorted(set(level_envs) - set(envs))
    if unknown_envs:
        refuse(f"{where}.environments", f"unknown environment(s) {', '.join(unknown_envs)}; the environments are: "
                                        f"{', '.join(envs)}")
    mfa = value.get("mfa", True)
    if not isinstance(mfa, bool):
        refuse(f"{where}.mfa", "must be true or false")
    hours = value.get("max_session_hours", 1)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 12:
        refuse(f"{where}.max_session_hours", "must be a whole number of hours from 1 to 12")
    skips = _mapping(value.get("checkov_skips") or {}, f"{where}.checkov_skips")
    for check, reason in skips.items():
        if not CHECK_ID.match(str(check)) or not isinstance(reason, str) or not reason.strip() or "\n" in reason:
            refuse(f"{where}.checkov_skips.{check}",
                   "needs a CKV_K8S_, CKV2_K8S_ or CKV_TBYTE_ check id and a one-line reason")
    return Level(name, scope, str(value["description"]), rules, cluster_rules, cluster_role, policy, mfa, level_envs,
                 hours, dict(skips))


def _sizes(value) -> dict:
    _mapping(value, "sizes")
    if not value:
        refuse("sizes", "declares no size")
    for name, size in value.items():
        where = f"sizes.{name}"
        _mapping(size, where, SIZE_KEYS, tuple(SIZE_KEYS))
        _mapping(size["quota"], f"{where}.quota")
        container = _mapping(size["container"], f"{where}.container", CONTAINER_KEYS, tuple(CONTAINER_KEYS))
        for key, limits in container.items():
            _mapping(limits, f"{where}.container.{key}", {"cpu", "memory"}, ("cpu", "memory"))
        for key in ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods"):
            if key not in size["quota"]:
                refuse(f"{where}.quota", f"{key} is required (every namespace is bounded)")
    return {name: {"quota": {k: str(v) for k, v in size["quota"].items()},
                   "container": {k: {r: str(q) for r, q in v.items()} for k, v in size["container"].items()}}
            for name, size in value.items()}


def _namespaces(value, where: str, owner: str, sizes: dict, envs: list[str],
                platform: bool) -> tuple[NamespaceDecl, ...]:
    _mapping(value, where)
    keys = {"size", "environments", "pod_security", "reason"} if platform else {"size", "environments"}
    found = []
    for name, spec in value.items():
        at = f"{where}.{name}"
        if not NAMESPACE.match(str(name)) or name in RESERVED_NAMESPACES:
            refuse(at, "is not a namespace name of its own (DNS label, not default or kube-*)")
        spec = _mapping(spec, at, keys, ("size",))
        ns_envs = _strings(spec.get("environments", envs), f"{at}.environments")
        unknown = sorted(set(ns_envs) - set(envs))
        if unknown:
            refuse(f"{at}.environments", f"unknown environment(s) {', '.join(unknown)}")
        size = spec["size"]
        by_env = size if isinstance(size, dict) else {env: size for env in ns_envs}
        for env in ns_envs:
            if by_env.get(env) not in sizes:
                refuse(f"{at}.size", f"{env}: {by_env.get(env)!r} is not one of the sizes ({', '.join(sizes)})")
        pod_security = spec.get("pod_security", "restricted")
        if pod_security not in POD_SECURITY:
            refuse(f"{at}.pod_security", f"{pod_security!r} is not one of {', '.join(POD_SECURITY)}")
        reason = " ".join(str(spec.get("reason") or "").split())
        if pod_security != "restricted" and not reason:
            refuse(f"{at}.reason", f"pod_security {pod_security} needs the reason restricted cannot be enforced")
        found.append(NamespaceDecl(name, owner, {env: by_env[env] for env in ns_envs}, pod_security, reason))
    return tuple(found)


def _members(value, where: str, levels: dict, scope: str) -> dict:
    _mapping(value or {}, where)
    members = {}
    for level, principals in (value or {}).items():
        if level not in levels or levels[level].scope != scope:
            wanted = [name for name, item in levels.items() if item.scope == scope]
            refuse(f"{where}.{level}", f"not a {scope} level; the {scope} levels are: {', '.join(wanted)}")
        members[level] = _strings(principals, f"{where}.{level}", MEMBER)
    return members


def _team(name: str, value, levels: dict, sizes: dict, envs: list[str]) -> Team:
    where = f"teams.{name}"
    if not NAME.match(str(name)) or name == PLATFORM:
        refuse(where, f"a team name is 2-20 lowercase letters, digits and hyphens, and not {PLATFORM!r}")
    _mapping(value, where, {"description", "namespaces", "service_accounts", "members"},
             ("description", "namespaces", "members"))
    namespaces = _namespaces(value["namespaces"], f"{where}.namespaces", name, sizes, envs, platform=False)
    if not namespaces:
        refuse(f"{where}.namespaces", "a team has at least one namespace")
    accounts = {}
    for namespace, names in _mapping(value.get("service_accounts") or {}, f"{where}.service_accounts").items():
        if namespace not in {item.name for item in namespaces}:
            refuse(f"{where}.service_accounts.{namespace}", "is not one of the team's namespaces")
        accounts[namespace] = _strings(names, f"{where}.service_accounts.{namespace}", SERVICE_ACCOUNT)
    members = _members(value["members"], f"{where}.members", levels, "team")
    return Team(name, str(value["description"]), namespaces, accounts, members)


def _probes(value) -> tuple[tuple, tuple]:
    _mapping(value, "matrix", {"namespaced", "cluster"}, ("namespaced", "cluster"))
    parsed = {}
    for kind in ("namespaced", "cluster"):
        items = []
        for index, text in enumerate(_strings(value[kind], f"matrix.{kind}")):
            try:
                items.append(rbac.Probe.parse(text))
            except ValueError as error:
                refuse(f"matrix.{kind}[{index}]", str(error))
        parsed[kind] = tuple(items)
    return parsed["namespaced"], parsed["cluster"]


def parse(document, envs: list[str] | None = None) -> Declaration:
    """A Declaration from the parsed YAML; anything that does not hold is refused."""
    envs = envs or environments()
    _mapping(document, "the file", TOP_KEYS, tuple(TOP_KEYS))
    levels = {name: _level(name, value, envs) for name, value in _mapping(document["levels"], "levels").items()}
    for required in (WILDCARD_LEVEL, CLUSTER_ADMIN_LEVEL):
        if required not in levels:
            refuse("levels", f"{required} is required")
    sizes = _sizes(document["sizes"])
    platform = _mapping(document["platform"], "platform", {"members", "namespaces"}, ("members",))
    platform_members = _members(platform["members"], "platform.members", levels, "cluster")
    for name, level in levels.items():
        if level.scope == "cluster" and not platform_members.get(name):
            refuse(f"platform.members.{name}", "a cluster level needs at least one member")
    platform_namespaces = _namespaces(platform.get("namespaces") or {}, "platform.namespaces", PLATFORM, sizes, envs,
                                      platform=True)
    unmanaged = _strings(document["unmanaged_namespaces"], "unmanaged_namespaces", NAMESPACE, allow_empty=True)
    teams = {name: _team(name, value, levels, sizes, envs)
             for name, value in _mapping(document["teams"], "teams").items()}
    if not teams:
        refuse("teams", "declares no team")
    seen: dict[str, str] = {name: "unmanaged_namespaces" for name in unmanaged}
    for namespace in [*platform_namespaces, *[ns for team in teams.values() for ns in team.namespaces]]:
        if namespace.name in seen:
            refuse(f"namespace {namespace.name}", f"declared twice ({seen[namespace.name]} and {namespace.owner})")
        seen[namespace.name] = namespace.owner
    namespaced, cluster = _probes(document["matrix"])
    return Declaration(levels, sizes, platform_members, platform_namespaces, unmanaged, teams, namespaced, cluster)


def load(path: Path = TENANTS) -> Declaration:
    """platform/tenants.yaml, validated."""
    try:
        document = yaml.safe_load(Path(path).read_text())
    except OSError as error:
        raise Refused(f"{paths.shown(path)} cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise Refused(f"{paths.shown(path)} is not valid YAML: {' '.join(str(error).split())}") from None
    return parse(document)
