"""What must be true before a task touches an environment; checked before anything changes."""

from __future__ import annotations

import boto3
from botocore.exceptions import BotoCoreError

from tbyte import toolchain
from tbyte.backend import ensure_state_bucket
from tbyte.emulator import Emulator
from tbyte.errors import UserError
from tbyte.stacks import LOCAL, env_settings


def prepare(env: str, log=print) -> None:
    """Toolchain ready; for local the emulator and state bucket up; for AWS, credentials present."""
    if env != LOCAL:
        require_aws_credentials(env)
    toolchain.ensure(log=log)
    if env == LOCAL:
        emulator = Emulator()
        if not emulator.status()["running"]:
            log(f"starting the AWS emulator on {emulator.endpoint}")
            emulator.start()
        ensure_state_bucket(emulator.client("s3"), env_settings(LOCAL)["state_bucket"], env_settings(LOCAL)["region"])


def require_aws_credentials(env: str) -> None:
    account = env_settings(env).get("account_id", "?")
    try:
        credentials = boto3.Session().get_credentials()
    except BotoCoreError as error:
        raise UserError(f"environment {env} (AWS account {account}): the AWS configuration is unusable: {error}; "
                        "nothing was run") from None
    if credentials is None:
        raise UserError(
            f"environment {env} (AWS account {account}) needs AWS credentials and none were found: "
            "set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or run it in CI where the GitHub OIDC deploy role provides them; nothing was run"
        )
