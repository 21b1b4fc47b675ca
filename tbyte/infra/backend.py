"""The stacks' S3 backend: the state bucket of `local`, and each stack's state object, version, outputs and lock.

Where a stack's state lives (bucket, key) is what Terragrunt renders for it (infra/graph.py). Every call on
the state bucket names the environment's account as the expected bucket owner, so a bucket of another
account with the same name is never read or written.
"""

from __future__ import annotations

import hashlib
import json

from tbyte.core.environment import Environment
from tbyte.infra.graph import Stack

MISSING = ("404", "NoSuchKey", "NotFound", "NoSuchBucket")


def unless_missing(call, codes: tuple[str, ...] = MISSING, **arguments):
    """What `call(**arguments)` returns, or None when the error's code is one of `codes` (by default: S3 says the
    bucket or object does not exist)."""
    from botocore.exceptions import ClientError  # imported on first use: botocore takes 0.1 s to import

    try:
        return call(**arguments)
    except ClientError as error:
        if error.response["Error"]["Code"] in codes:
            return None
        raise


def owner(env: Environment) -> dict:
    return {"ExpectedBucketOwner": env.account_id} if env.account_id else {}


def ensure_local_state_bucket(env: Environment) -> None:
    """Create the emulator's state bucket if missing; (re)apply versioning, encryption and the public access block."""
    s3, bucket = env.client("s3"), env.values["state_bucket"]
    if unless_missing(s3.head_bucket, Bucket=bucket, **owner(env)) is None:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": env.region})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}, **owner(env))
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}, **owner(env))
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    }, **owner(env))


def get_object(stack: Stack, key: str) -> bytes | None:
    found = unless_missing(stack.env.client("s3").get_object, Bucket=stack.bucket, Key=key, **owner(stack.env))
    return found["Body"].read() if found is not None else None


def state_version(stack: Stack) -> str | None:
    """S3 version id of the stack's state object, or None while the stack has no state."""
    head = unless_missing(stack.env.client("s3").head_object, Bucket=stack.bucket, Key=stack.key, **owner(stack.env))
    return None if head is None else head.get("VersionId") or head["ETag"]


def read_state(stack: Stack) -> dict | None:
    """The stack's current state document, or None while it has none."""
    body = get_object(stack, stack.key)
    return json.loads(body) if body is not None else None


def outputs(stack: Stack) -> dict[str, dict]:
    """The stack's outputs as recorded in its state ({name: {"value", "type", "sensitive"}})."""
    state = read_state(stack)
    return state.get("outputs", {}) if state else {}


def outputs_digest(stack: Stack) -> str | None:
    state = read_state(stack)
    if state is None:
        return None
    return hashlib.sha256(json.dumps(state.get("outputs", {}), sort_keys=True).encode()).hexdigest()


def managed_resource_count(stack: Stack) -> int:
    state = read_state(stack)
    return sum(len(r.get("instances", [])) for r in (state or {}).get("resources", []) if r.get("mode") == "managed")
