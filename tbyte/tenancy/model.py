"""The tenancy of one environment, derived from platform/tenants.yaml: its namespaces, its groups (Kubernetes
group, IAM role, members, namespaces), the service accounts, and the answer the API server must give to every
cell of the allow/deny matrix.

    tenancy("dev") -> Tenancy
    Tenancy.expected(subject, probe, namespace) -> bool    ("" namespace: a cluster-wide probe)
"""

from __future__ import annotations

from dataclasses import dataclass

from tbyte.core import hcl, paths
from tbyte.core.errors import Refused
from tbyte.tenancy import rbac
from tbyte.tenancy.declaration import PLATFORM, Declaration, Level, load

AUTHENTICATED = "system:authenticated"


@dataclass(frozen=True)
class Namespace:
    name: str
    owner: str  # a team or "platform"
    size: str
    quota: dict
    container: dict
    pod_security: str
    reason: str


@dataclass(frozen=True)
class Group:
    """One team level (or cluster level) in one environment: a Kubernetes group and the IAM role mapped to it."""

    level: Level
    team: str  # the team, or "platform" for the cluster levels (also the session tag `team`)
    kubernetes_group: str
    role_name: str
    role_arn: str
    namespaces: tuple[str, ...]  # a team level's namespaces; () for a cluster level (cluster-wide)
    members: tuple[str, ...]

    @property
    def key(self) -> str:
        """The group's key in Terraform maps and Helm values: `<level>` or `<team>-<level>`."""
        return self.level.name if self.team == PLATFORM else f"{self.team}-{self.level.name}"


@dataclass(frozen=True)
class Subject:
    """Who a SubjectAccessReview asks about: a group's member (any user of the group) or a service account."""

    name: str  # as the matrix shows it
    user: str
    groups: tuple[str, ...]
    group: Group | None = None  # None: a service account


@dataclass(frozen=True)
class Tenancy:
    env: str
    account_id: str
    kubernetes_version: str
    access_entries: bool  # the environment maps IAM roles with EKS access entries (else: aws-auth)
    namespaces: tuple[Namespace, ...]
    unmanaged_namespaces: tuple[str, ...]
    groups: tuple[Group, ...]
    service_accounts: tuple[tuple[str, str, str], ...]  # (namespace, name, team)
    namespaced_probes: tuple[rbac.Probe, ...]
    cluster_probes: tuple[rbac.Probe, ...]

    @property
    def check_namespaces(self) -> list[str]:
        return [namespace.name for namespace in self.namespaces] + list(self.unmanaged_namespaces)

    def group(self, key: str) -> Group:
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def subjects(self) -> list[Subject]:
        """Every group (as a member of it) and every declared service account."""
        found = [Subject(group.key, f"arn:aws:sts::{self.account_id}:assumed-role/{group.role_name}/tenancy-check",
                         (group.kubernetes_group, AUTHENTICATED), group) for group in self.groups]
        for namespace, name, _team in self.service_accounts:
            found.append(Subject(f"sa:{namespace}/{name}", f"system:serviceaccount:{namespace}:{name}",
                                 ("system:serviceaccounts", f"system:serviceaccounts:{namespace}", AUTHENTICATED)))
        return found

    def expected(self, subject: Subject, probe: rbac.Probe, namespace: str) -> bool:
        """Whether the declaration allows the subject the probe in the namespace ("" = cluster-wide)."""
        group = subject.group
        if group is None:
            return False  # service accounts get no Kubernetes API rights: they call AWS through IRSA
        level = group.level
        if level.scope == "cluster":
            return rbac.allows(level.role_rules, probe)
        if rbac.allows(list(level.cluster_rules), probe):
            return True
        return bool(namespace) and namespace in group.namespaces and rbac.allows(level.role_rules, probe)


def _env_values(env: str) -> dict:
    values: dict = {}
    for block in hcl.load(paths.TERRAGRUNT / env / "env.hcl").get("locals", []):
        values.update(block)
    return values


def has_access_entries(env: str) -> bool:
    """Whether the environment has the eks-access stack (provider 6.x: EKS access entries)."""
    return (paths.TERRAGRUNT / env / "eks-access" / "terragrunt.hcl").is_file()


def resolve_member(arn: str, env: str, account_id: str) -> str:
    return arn.replace("{account_id}", account_id).replace("{environment}", env)


def tenancy(env: str, declaration: Declaration | None = None) -> Tenancy:
    """The tenancy of an environment (one of terragrunt/'s; the caller has checked the name)."""
    declaration = declaration or load()
    values = _env_values(env)
    account_id = str(values.get("account_id", ""))
    prefix = f"tbyte-{env}"
    namespaces = []
    for team in ("platform", *declaration.teams):
        declared = declaration.platform_namespaces if team == PLATFORM else declaration.teams[team].namespaces
        for item in declared:
            if env in item.sizes:
                size = declaration.sizes[item.sizes[env]]
                namespaces.append(Namespace(item.name, item.owner, item.sizes[env], size["quota"], size["container"],
                                            item.pod_security, item.reason))
    groups = []
    for level in declaration.levels.values():
        if env not in level.environments:
            continue
        if level.scope == "cluster":
            members = declaration.platform_members.get(level.name, ())
            groups.append(_group(level, PLATFORM, f"tbyte:{level.name}", f"{prefix}-{level.name}", (), members,
                                 env, account_id))
            continue
        for team in declaration.teams.values():
            team_namespaces = tuple(item.name for item in team.namespaces if env in item.sizes)
            members = team.members.get(level.name, ())
            if team_namespaces and members:
                groups.append(_group(level, team.name, f"tbyte:{team.name}:{level.name}",
                                     f"{prefix}-{team.name}-{level.name}", team_namespaces, members, env, account_id))
    present = {namespace.name for namespace in namespaces}
    accounts = tuple((namespace, name, team.name) for team in declaration.teams.values()
                     for namespace, names in team.service_accounts.items() if namespace in present for name in names)
    for group in groups:
        if len(group.role_name) > 64:
            raise Refused(f"the IAM role name {group.role_name} is longer than 64 characters: shorten the team name")
    return Tenancy(env, account_id, str(values.get("kubernetes_version", "")), has_access_entries(env),
                   tuple(namespaces), declaration.unmanaged_namespaces, tuple(groups), accounts,
                   declaration.namespaced_probes, declaration.cluster_probes)


def _group(level: Level, team: str, kubernetes_group: str, role_name: str, namespaces: tuple, members: tuple,
           env: str, account_id: str) -> Group:
    arn = f"arn:aws:iam::{account_id}:role/{role_name}"
    resolved = tuple(resolve_member(member, env, account_id) for member in members)
    return Group(level, team, kubernetes_group, role_name, arn, namespaces, resolved)
