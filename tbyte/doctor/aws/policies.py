"""IAM policy documents read the way AWS evaluates them, for the cases the doctor needs: does a statement of a
policy match an action, a resource and a principal, under conditions it can judge from where the request comes.

Only conditions the doctor can decide are decided (aws:SecureTransport, aws:PrincipalArn, aws:PrincipalAccount,
kms:EncryptionContext:aws:logs:arn); a statement with any other condition is "conditional" and never reported as
a certain deny, so that the doctor does not invent problems.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"


def document(text) -> dict:
    """A policy document from its JSON (or URL-encoded JSON, as IAM returns it) or an already parsed one."""
    if isinstance(text, dict):
        return text
    from urllib.parse import unquote

    raw = str(text or "")
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return json.loads(unquote(raw))


def statements(policy) -> list[dict]:
    found = document(policy).get("Statement") or []
    return [found] if isinstance(found, dict) else list(found)


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _match(patterns, value: str, case: bool = False) -> bool:
    return any(fnmatch.fnmatchcase(value if case else value.lower(), pattern if case else pattern.lower())
               for pattern in as_list(patterns))


def action_matches(statement: dict, action: str) -> bool:
    if "NotAction" in statement:
        return not _match(statement["NotAction"], action)
    return _match(statement.get("Action"), action)


def resource_matches(statement: dict, resource: str) -> bool:
    if "NotResource" in statement:
        return not _match(statement["NotResource"], resource, case=True)
    return _match(statement.get("Resource", "*"), resource, case=True)


@dataclass(frozen=True)
class Principal:
    """Who makes a request: an IAM role (its ARN and account) or an AWS service."""

    arn: str = ""
    account: str = ""
    service: str = ""


def principal_matches(statement: dict, who: Principal) -> bool:
    if "NotPrincipal" in statement:
        return not _principal_in(statement["NotPrincipal"], who)
    if "Principal" not in statement:
        return True  # an identity policy: it is the principal's own
    return _principal_in(statement["Principal"], who)


def _principal_in(principal, who: Principal) -> bool:
    if principal == "*":
        return True
    entries = principal if isinstance(principal, dict) else {}
    for arn in as_list(entries.get("AWS")):
        if arn == "*" or arn == who.arn or (who.account and arn in (who.account, f"arn:aws:iam::{who.account}:root")):
            return True
    return bool(who.service) and who.service in as_list(entries.get("Service"))


def condition_holds(statement: dict, who: Principal, context: dict) -> str:
    """TRUE, FALSE or UNKNOWN: the statement's conditions for this principal and request context."""
    verdicts = []
    for operator, tests in (statement.get("Condition") or {}).items():
        for key, values in tests.items():
            verdicts.append(_test(operator, key, as_list(values), who, context))
    if FALSE in verdicts:
        return FALSE
    return UNKNOWN if UNKNOWN in verdicts else TRUE


def _test(operator: str, key: str, values: list, who: Principal, context: dict) -> str:
    known = {"aws:securetransport": "true", "aws:principalarn": who.arn, "aws:principalaccount": who.account,
             **{name.lower(): value for name, value in context.items()}}
    actual = known.get(key.lower())
    if actual is None or operator.startswith("ForAnyValue") or operator.startswith("ForAllValues"):
        return UNKNOWN
    base, negated = operator.replace("IfExists", ""), False
    if base.startswith(("StringNot", "ArnNot")):
        negated, base = True, base.replace("Not", "", 1)
    text = [str(value) for value in values]
    if base in ("StringEquals", "ArnEquals"):
        hit = str(actual) in text
    elif base in ("StringEqualsIgnoreCase",):
        hit = str(actual).lower() in [value.lower() for value in text]
    elif base in ("StringLike", "ArnLike"):
        hit = _match(text, str(actual), case=True)
    elif base == "Bool":
        hit = str(actual).lower() in [value.lower() for value in text]
    else:
        return UNKNOWN
    return TRUE if hit != negated else FALSE


def matching(policy, effect: str, action: str, resource: str, who: Principal, context: dict | None = None,
             certain: bool = True) -> list[dict]:
    """The statements of `policy` with this effect that apply to the request (certainly, unless certain=False)."""
    found = []
    for statement in statements(policy):
        if statement.get("Effect") != effect or not action_matches(statement, action):
            continue
        if not resource_matches(statement, resource) or not principal_matches(statement, who):
            continue
        verdict = condition_holds(statement, who, context or {})
        if verdict == TRUE or (verdict == UNKNOWN and not certain):
            found.append(statement)
    return found


def allows(policy, action: str, resource: str, who: Principal, context: dict | None = None) -> bool:
    """The policy allows it (possibly under conditions) and denies it under none it can decide."""
    return bool(matching(policy, "Allow", action, resource, who, context, certain=False)) and not \
        matching(policy, "Deny", action, resource, who, context)


def without(policy, statement: dict) -> dict:
    """The policy with one statement removed."""
    kept = [entry for entry in statements(policy) if entry != statement]
    return {**document(policy), "Statement": kept}


def label(statement: dict) -> str:
    return statement.get("Sid") or json.dumps(statement, separators=(",", ":"))[:120]
