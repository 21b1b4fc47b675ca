"""The errors a task ends with, each one line on stderr and an exit code that says whether anything changed.

    Refused       exit 1   bad input or a missing prerequisite; raised before anything was changed
    ChangeFailed  exit 3   a change had started when it failed; the message carries the recovery command
    Interrupted   exit 130 SIGINT or SIGTERM: running Terraform was cancelled once and waited for
"""


class TaskError(Exception):
    """An error that ends a task with one line and its exit code, never a traceback."""

    exit_code = 1


class Refused(TaskError):
    """A refused input or a missing prerequisite; nothing was changed."""

    exit_code = 1


class ChangeFailed(TaskError):
    """A change had started when it failed; the message says the state it left and how to recover."""

    exit_code = 3

    def __init__(self, message: str, recovery: str | None = None):
        super().__init__(f"{message}; to recover: {recovery}" if recovery else message)
        self.recovery = recovery


class Interrupted(TaskError):
    """The task was interrupted (SIGINT or SIGTERM) and stopped after its child processes ended."""

    exit_code = 130
