"""IAM and KMS policy documents the way checkov hands them to a check, and the rules of CKV_TBYTE_5 to 9.

In a plan, checkov parses a resource's policy JSON (aws_iam_policy.policy, aws_iam_role.assume_role_policy,
aws_kms_key.policy...) into a dict and wraps it in a list; in Terraform code the same attribute is usually an
unresolved expression (`data.aws_iam_policy_document.x.json`), and the checks then do not apply. Pure Python, no
checkov import, so that the rules are unit-tested in the repository's own environment.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase

GITHUB_ISSUER = "token.actions.githubusercontent.com"


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def document(value) -> dict | None:
    """The policy document behind checkov's list wrapping (a dict with a Statement); None when not known."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) and "Statement" in value else None


def statements(policy: dict | None, effect: str | None = None) -> list[dict]:
    found = [s for s in as_list((policy or {}).get("Statement")) if isinstance(s, dict)]
    return [s for s in found if effect is None or s.get("Effect") == effect]


def sid(statement: dict) -> str:
    return statement.get("Sid") or "a statement without Sid"


def covers(statement: dict, action: str) -> bool:
    """Whether the statement's Action (or NotAction) takes in `action`: IAM's case-insensitive * and ? globs."""
    def matches(patterns) -> bool:
        return any(isinstance(p, str) and fnmatchcase(action.lower(), p.lower()) for p in as_list(patterns))

    if "NotAction" in statement:
        return not matches(statement["NotAction"])
    return matches(statement.get("Action"))


def condition_keys(statement: dict) -> set[str]:
    """The condition keys of a statement, lowercased (IAM condition keys are case-insensitive)."""
    conditions = statement.get("Condition") or {}
    return {key.lower() for test in conditions.values() if isinstance(test, dict) for key in test}


def condition_values(statement: dict, key: str) -> list[str]:
    conditions = statement.get("Condition") or {}
    return [value for test in conditions.values() if isinstance(test, dict)
            for name, values in test.items() if name.lower() == key.lower() for value in as_list(values)]


# ---------------------------------------------------------------------------------------------------------------
# CKV_TBYTE_5: a role trusted by GitHub Actions trusts one kind of subject, and is named after it.

# Which role may be trusted by which kind of subject (modules/iam/modules/github-oidc names them so).
ROLE_SUFFIXES = {
    "pull_request": ("-github-pr",),
    "branch": ("-github-plan", "-github-drift"),
    "environment": ("-github-deploy",),
}


def github_subjects(trust: dict | None) -> list[str] | None:
    """The `sub` values GitHub tokens may present to assume the role ("*" when not constrained); None if the trust
    does not name GitHub's OIDC provider."""
    found = None
    for statement in statements(trust, "Allow"):
        principal = statement.get("Principal")
        federated = principal.get("Federated") if isinstance(principal, dict) else principal
        if not any(isinstance(p, str) and p.endswith(GITHUB_ISSUER) for p in as_list(federated)):
            continue
        subjects = [str(value) for value in condition_values(statement, f"{GITHUB_ISSUER}:sub")]
        found = (found or []) + (subjects or ["*"])
    return found


def subject_kind(subject: str) -> str:
    if "*" in subject or "?" in subject:
        return "wildcard"
    if subject.endswith(":pull_request"):
        return "pull_request"
    if ":ref:refs/heads/" in subject:
        return "branch"
    if ":environment:" in subject:
        return "environment"
    return "other"


def trust_problems(role_name: str, subjects: list[str]) -> list[str]:
    kinds = {subject_kind(subject) for subject in subjects}
    problems = []
    if "wildcard" in kinds:
        problems.append("a wildcard or missing `sub` condition: any workflow run could assume it")
    if "other" in kinds:
        problems.append("subjects other than pull_request, refs/heads/<branch> or environment:<env>: "
                        + ", ".join(s for s in subjects if subject_kind(s) == "other"))
    known = sorted(kinds & set(ROLE_SUFFIXES))
    if len(known) > 1:
        problems.append(f"trusts {' and '.join(known)} subjects at once: a run that needs no approval would hold "
                        "the role of one that does")
    elif known and not role_name.endswith(ROLE_SUFFIXES[known[0]]):
        names = " or ".join(f"*{suffix}" for suffix in ROLE_SUFFIXES[known[0]])
        problems.append(f"trusted by {known[0]} subjects, so it must be the {names} role (CKV_TBYTE_6 holds those to "
                        "read-only)")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# CKV_TBYTE_6: the roles GitHub pull requests and branches can assume are read-only.

READ_VERBS = ("get", "list", "describe", "batchget", "head", "view", "lookup", "search", "query", "scan", "select")
# What a pull request may never do, even though it is "read": state objects, decryption, secret values.
PULL_REQUEST_FORBIDDEN = ("s3:GetObject", "kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter")
# What each tier must deny explicitly, so that ReadOnlyAccess (s3:Get*, ssm:Get*) or a later policy cannot grant it.
REQUIRED_DENIES = {
    "pull_request": PULL_REQUEST_FORBIDDEN + ("s3:PutObject", "s3:DeleteObject"),
    "branch": ("s3:PutObject", "s3:DeleteObject"),
}
# Reading the state a plan needs: decrypting it (kms:Decrypt is no Get/List/Describe).
BRANCH_READS = ("kms:decrypt",)
READ_ONLY_MANAGED = re.compile(
    r"^arn:aws[a-z-]*:iam::aws:policy/(job-function/ViewOnlyAccess|ReadOnlyAccess|SecurityAudit)$")


def read_only_tier(role_name: str | None) -> str | None:
    """pull_request or branch for the roles named so (CKV_TBYTE_5 ties the names to the trust), else None."""
    for tier in ("pull_request", "branch"):
        if isinstance(role_name, str) and role_name.endswith(ROLE_SUFFIXES[tier]):
            return tier
    return None


def is_read(pattern: str) -> bool:
    """An action pattern that can only name reads (`s3:Get*` can; `s3:*`, `*` and `s3:Put*` cannot)."""
    _, _, name = pattern.lower().partition(":")
    return name.startswith(READ_VERBS)


def read_only_problems(policy: dict, tier: str) -> list[str]:
    problems = []
    for statement in statements(policy, "Allow"):
        if "NotAction" in statement:
            problems.append(f"{sid(statement)}: Allow with NotAction grants nearly everything")
            continue
        forbidden = [a for a in PULL_REQUEST_FORBIDDEN if covers(statement, a)] if tier == "pull_request" else []
        if forbidden:
            problems.append(f"{sid(statement)}: allows {', '.join(forbidden)} to pull requests")
            continue
        writes = [p for p in as_list(statement.get("Action"))
                  if not is_read(str(p)) and not (tier == "branch" and str(p).lower() in BRANCH_READS)]
        if writes:
            problems.append(f"{sid(statement)}: allows {', '.join(map(str, writes))}, which is not read-only")
    denies = statements(policy, "Deny")
    missing = [a for a in REQUIRED_DENIES[tier] if not any(covers(d, a) for d in denies)]
    if missing:
        problems.append(f"no explicit Deny of {', '.join(missing)} (ReadOnlyAccess or another policy could grant it)")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# CKV_TBYTE_7: whatever changes a role's or user's permissions requires a permissions boundary.

# The IAM actions that carry the iam:PermissionsBoundary condition key: each must be conditioned on it.
BOUNDED_ACTIONS = (
    "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary", "iam:CreateUser", "iam:PutUserPolicy", "iam:DeleteUserPolicy",
    "iam:AttachUserPolicy", "iam:DetachUserPolicy", "iam:PutUserPermissionsBoundary",
)
BOUNDARY_REMOVAL = ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")


def boundary_problems(policy: dict) -> list[str]:
    problems = []
    for statement in statements(policy, "Allow"):
        removal = [a for a in BOUNDARY_REMOVAL if covers(statement, a)]
        if removal:
            problems.append(f"{sid(statement)}: allows {', '.join(removal)}")
        unbounded = [a for a in BOUNDED_ACTIONS if covers(statement, a)]
        if unbounded and "iam:permissionsboundary" not in condition_keys(statement):
            problems.append(f"{sid(statement)}: allows {', '.join(unbounded)} "
                            "without an iam:PermissionsBoundary condition")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# CKV_TBYTE_8: KMS key management only on keys chosen by a tag or an alias.

KEY_MANAGEMENT = (
    "kms:CreateKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:DisableKey",
    "kms:EnableKey", "kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:UpdateKeyDescription",
    "kms:TagResource", "kms:UntagResource", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
    "kms:ReplicateKey", "kms:UpdatePrimaryRegion", "kms:ImportKeyMaterial", "kms:DeleteImportedKeyMaterial",
)
KEY_CHOOSING_CONDITIONS = ("aws:resourcetag/", "aws:requesttag/", "kms:resourcealiases", "kms:requestalias")


def on_every_key(resource: str) -> bool:
    """`*`, `…:key/*` or a KMS ARN pattern ending in `*` (not an alias): any key, whatever its id."""
    resource = resource.strip()
    if resource == "*" or resource.endswith(":key/*"):
        return True
    return ":kms:" in resource and resource.endswith("*") and ":alias/" not in resource and ":key/" not in resource


def key_management_problems(policy: dict) -> list[str]:
    problems = []
    for statement in statements(policy, "Allow"):
        actions = [a for a in KEY_MANAGEMENT if covers(statement, a)]
        if not actions:
            continue
        every_key = "NotResource" in statement or any(on_every_key(str(r)) for r in as_list(statement.get("Resource")))
        chosen = any(key.startswith(KEY_CHOOSING_CONDITIONS) for key in condition_keys(statement))
        if every_key and not chosen:
            problems.append(f"{sid(statement)}: allows {', '.join(actions)} on every key "
                            "without a tag or alias condition")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# CKV_TBYTE_9: a key policy does not let the whole account use the key.

KEY_USE = (
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:CreateGrant", "kms:Sign", "kms:Verify", "kms:GenerateMac", "kms:VerifyMac", "kms:DeriveSharedSecret",
)
# Use through a named AWS service, or grants only for AWS resources: bounded, not delegated to all of IAM.
USE_BOUNDING_CONDITIONS = ("kms:viaservice", "kms:grantisforawsresource")


def account_wide(statement: dict) -> bool:
    """A principal that stands for every principal of an account (its root, its bare id) or everyone ("*")."""
    if "NotPrincipal" in statement:
        return True
    principal = statement.get("Principal")
    identifiers = as_list(principal.get("AWS")) if isinstance(principal, dict) else as_list(principal)
    return any(isinstance(p, str) and (p == "*" or p.endswith(":root") or re.fullmatch(r"\d{12}", p))
               for p in identifiers)


def key_policy_problems(policy: dict) -> list[str]:
    problems = []
    for statement in statements(policy, "Allow"):
        if not account_wide(statement):
            continue
        used = [a for a in KEY_USE if covers(statement, a)]
        if used and not set(USE_BOUNDING_CONDITIONS) & condition_keys(statement):
            problems.append(f"{sid(statement)}: the whole account may {', '.join(used)} without a kms:ViaService "
                            "or kms:GrantIsForAWSResource condition")
    return problems
