"""What must be true before a task touches an environment; checked before anything changes."""

from __future__ import annotations

from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.emulator.manager import Emulator
from tbyte.infra.backend import ensure_local_state_bucket
from tbyte.toolchain import setup


def prepare(env: Environment, log=say) -> None:
    """Toolchain ready; for local the emulator and state bucket up; for AWS, credentials present. Once per task."""
    env.memoized("prepared", lambda: _prepare(env, log))


def _prepare(env: Environment, log) -> bool:
    require_credentials(env)
    if not setup.ready():
        setup.ensure(env.settings, log=log)
    elif env.settings.terraform:
        setup.ensure(env.settings, log=log, tools=())
    if env.is_local:
        emulator = Emulator(env.settings.emulator_port, kube_port=env.settings.kube_port)
        if not emulator.status()["running"]:
            log(f"starting the AWS emulator on {emulator.endpoint}")
            emulator.start()
        ensure_local_state_bucket(env)
    return True


def require_credentials(env: Environment) -> None:
    """An AWS environment needs credentials (checked without any call); local has the emulator's."""
    if env.is_local:
        return
    import boto3  # imported on first use: boto3 takes 0.3 s to import
    from botocore.exceptions import BotoCoreError

    try:
        credentials = boto3.Session().get_credentials()
    except BotoCoreError as error:
        raise Refused(f"environment {env} (AWS account {env.account_id}): the AWS configuration is unusable: "
                      f"{error}; nothing was run") from None
    if credentials is None:
        raise Refused(
            f"environment {env} (AWS account {env.account_id}) needs AWS credentials and none were found: "
            "set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            "or run it in CI where the GitHub OIDC roles provide them; nothing was run"
        )
