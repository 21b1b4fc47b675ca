"""The task decorator every collection uses, and the Environment a task resolves from its --env.

A task ends in one line and an exit code, never a traceback: its TaskError (core/errors.py), an AWS error
(access denied, expired token, throttling, no endpoint) or an interruption. SIGINT and SIGTERM cancel
running Terraform once and wait for it (core/process.py).
"""

from __future__ import annotations

import functools

import invoke

from tbyte.core import process
from tbyte.core.environment import Environment
from tbyte.core.errors import Interrupted, TaskError
from tbyte.core.settings import Settings


def settings(context) -> Settings:
    """The tbyte settings of the task's Invoke configuration."""
    return Settings.from_config(context.config.get("tbyte") or {})


def environment(context, name, argument: str = "--env") -> Environment:
    """The Environment of a task's --env, resolved once (an unknown name is refused)."""
    return Environment.resolve(name, settings(context), argument)


def aws_error_line(error: Exception) -> str | None:
    """One line for an error of boto3/botocore, or None when `error` is not one."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        operation = getattr(error, "operation_name", "a call")
        return f"AWS refused {operation}: {info.get('Code', '?')}: {info.get('Message', '').strip()}"
    if isinstance(error, BotoCoreError):
        return f"AWS could not be reached or used: {error}"
    return None


def task(*args, **kwargs):
    """Like invoke.task, with one-line errors and exit codes, and graceful interruption."""

    def decorate(function):
        @functools.wraps(function)
        def run(context, *positional, **named):
            process.install_signal_handlers()
            try:
                return function(context, *positional, **named)
            except TaskError as error:
                raise invoke.Exit(f"error: {error}", code=error.exit_code) from None
            except KeyboardInterrupt:
                error = Interrupted("interrupted: the task stopped")
                raise invoke.Exit(f"error: {error}", code=error.exit_code) from None
            except Exception as error:
                line = aws_error_line(error)
                if line is None:
                    raise
                raise invoke.Exit(f"error: {line}", code=1) from None

        return invoke.task(**kwargs)(run)

    if args and callable(args[0]):
        return decorate(args[0])
    return decorate
