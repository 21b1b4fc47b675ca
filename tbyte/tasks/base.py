"""The task decorator every collection uses: a refused input or a failed stack ends in one clear line."""

import functools

import invoke

from tbyte.errors import UserError


def task(*args, **kwargs):
    """Like invoke.task, but a UserError exits with code 1 and its message instead of a traceback."""

    def decorate(function):
        @functools.wraps(function)
        def run(context, *positional, **named):
            try:
                return function(context, *positional, **named)
            except UserError as error:
                raise invoke.Exit(f"error: {error}", code=1) from None

        return invoke.task(**kwargs)(run)

    if args and callable(args[0]):
        return decorate(args[0])
    return decorate
