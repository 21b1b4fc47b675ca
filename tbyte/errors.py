"""Errors that are the user's to fix: tasks print them as one clear message, without a traceback."""


class UserError(Exception):
    """A refused input or a missing prerequisite; raised before anything is changed."""
