"""Access denied (TF003): the AccessDenied, UnauthorizedOperation and 403 errors of a stack's latest run, decoded
into who was refused which action on which resource, and why; an encoded authorization message is decoded with
`sts decode-authorization-message` (which needs sts:DecodeAuthorizationMessage, a read-only right)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from tbyte.core.environment import Environment
from tbyte.doctor.actions import Invoke
from tbyte.doctor.findings import Finding

NOT_AUTHORIZED = re.compile(r"(?:User|Principal): (?P<principal>arn:\S+) is not authorized to perform: "
                            r"(?P<action>[\w-]+:[\w*-]+)(?: on resource: (?P<resource>\S+?))?"
                            r"(?: (?:because|with) (?P<reason>[^.\n\"]+))?[.\n\"]")
ENCODED = re.compile(r"Encoded authorization failure message: (?P<message>[\w-]{20,})")
DENIED = re.compile(r"(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|"
                    r"status code: 403)")
ERROR_LINE = re.compile(r"Error: (?P<what>[^\n│]+)")


@dataclass
class Denial:
    principal: str = "?"
    action: str = "?"
    resource: str = "?"
    reason: str = ""
    decoded: bool = False
    failure: str = ""  # why an encoded message could not be decoded

    def role(self) -> str:
        match = re.search(r":(?:assumed-role|role)/(?P<name>[\w+=,.@-]+)", self.principal)
        return match["name"] if match else self.principal


def decode(env: Environment, message: str) -> dict:
    """The decoded authorization message (its JSON), as AWS returns it."""
    text = env.client("sts").decode_authorization_message(EncodedMessage=message)["DecodedMessage"]
    return json.loads(text)


def read(env: Environment, log: str) -> Denial | None:
    if not DENIED.search(log) and not ENCODED.search(log) and not NOT_AUTHORIZED.search(log):
        return None
    denial = Denial()
    plain = NOT_AUTHORIZED.search(log)
    if plain:
        denial = Denial(plain["principal"], plain["action"], plain["resource"] or "*", (plain["reason"] or "").strip())
    encoded = ENCODED.search(log)
    if encoded:
        try:
            decoded = decode(env, encoded["message"])
        except (ClientError, BotoCoreError, ResponseParserError, ValueError) as error:
            denial.failure = str(error).splitlines()[0][:160]
        else:
            context = decoded.get("context") or {}
            denial = Denial((context.get("principal") or {}).get("arn", denial.principal),
                            context.get("action", denial.action), context.get("resource", denial.resource),
                            "an explicit deny" if decoded.get("explicitDeny") else
                            "no statement allows it", decoded=True)
            matched = [item.get("statementId") or item.get("sourcePolicyName") for item in
                       (decoded.get("matchedStatements") or {}).get("items") or []]
            if matched:
                denial.reason += f" (matched: {', '.join(m for m in matched if m)})"
    return denial


def finding(env: Environment, stack, log_name: str, log: str) -> Finding | None:
    denial = read(env, log)
    if denial is None:
        return None
    error = ERROR_LINE.search(log)
    evidence = [f"{log_name}: {error['what'].strip() if error else 'access denied'}"]
    if denial.action != "?":
        evidence.append(f"{denial.principal} may not {denial.action} on {denial.resource}"
                        + (f": {denial.reason}" if denial.reason else ""))
    encoded = ENCODED.search(log)
    if encoded and not denial.decoded:
        evidence.append(f"the message is encoded and could not be decoded here ({denial.failure}); decode it with "
                        f"`aws sts decode-authorization-message --encoded-message {encoded['message'][:24]}...`")
    grant = (f"grant {denial.action} on {denial.resource} to the role {denial.role()}" if denial.action != "?" else
             "find the refused action in the decoded message and grant it to the role")
    where = ("an explicit deny (an SCP, a permissions boundary or a resource policy) overrides any grant: change that "
             "policy" if "deny" in denial.reason.lower() else
             "the deploy role's rights are modules/iam/modules/github-oidc/policies.tf (its boundary too)")
    refused = denial.action if denial.action != "?" else "a call"
    return Finding("TF003", "critical", f"stack {stack}", f"AWS refused {refused}",
                   tuple(evidence), f"{grant}; {where}; then plan the stack again (what the command below does)",
                   (Invoke.of("plan", "--env", env.name, "--stack", stack.name),))
