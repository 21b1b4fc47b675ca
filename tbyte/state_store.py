"""Where each stack's state lives (the S3 key root.hcl gives it) and which version of it is current."""

from __future__ import annotations

import hashlib
import json
import os

import boto3
from botocore.exceptions import ClientError

from tbyte.emulator import Emulator
from tbyte.stacks import LOCAL, Stack, env_settings


def state_key(stack: Stack) -> str:
    return f"{stack.env}/{stack.name}/terraform.tfstate"


def s3_client(env: str):
    if env == LOCAL:
        return Emulator().client("s3")
    settings = env_settings(env)
    if os.environ.get("TBYTE_SKIP_ASSUME_ROLE") == "true":  # CI already holds the environment's role
        return boto3.client("s3", region_name=settings["region"])
    credentials = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{settings['account_id']}:role/{settings['deploy_role_name']}",
        RoleSessionName=f"tbyte-{env}-state",
    )["Credentials"]
    return boto3.client(
        "s3", region_name=settings["region"], aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"],
    )


def state_version(stack: Stack, s3=None) -> str | None:
    """S3 version id of the stack's state object, or None while the stack has no state."""
    s3 = s3 or s3_client(stack.env)
    try:
        head = s3.head_object(Bucket=env_settings(stack.env)["state_bucket"], Key=state_key(stack))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return head.get("VersionId") or head["ETag"]


def read_state(stack: Stack, s3=None) -> dict | None:
    """The stack's current state document, or None while it has none."""
    s3 = s3 or s3_client(stack.env)
    try:
        body = s3.get_object(Bucket=env_settings(stack.env)["state_bucket"], Key=state_key(stack))["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return json.loads(body)


def outputs(stack: Stack, s3=None) -> dict[str, dict]:
    """The stack's outputs as recorded in its state ({name: {"value", "type", "sensitive"}})."""
    state = read_state(stack, s3)
    return state.get("outputs", {}) if state else {}


def outputs_digest(stack: Stack, s3=None) -> str | None:
    state = read_state(stack, s3)
    if state is None:
        return None
    return hashlib.sha256(json.dumps(state.get("outputs", {}), sort_keys=True).encode()).hexdigest()


def managed_resource_count(stack: Stack, s3=None) -> int:
    state = read_state(stack, s3)
    return sum(len(r.get("instances", [])) for r in (state or {}).get("resources", []) if r.get("mode") == "managed")
