"""Checks of task arguments, made before anything runs: each refusal names the argument and what is allowed."""

from __future__ import annotations

import re
from pathlib import Path

from tbyte.core.errors import Refused
from tbyte.core.settings import integer

# A Terraform resource, module or instance address: module.a["k"].module.b[0].data.type.name[1]
_KEY = r'(\[(\d+|"[^"\\\n]*")\])?'
_MODULE = rf"module\.[A-Za-z_][\w-]*{_KEY}"
ADDRESS = re.compile(rf"^({_MODULE}\.)*(({_MODULE})|((data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*{_KEY}))$")
IDENTIFIER = re.compile(r"^[A-Za-z0-9_][\w.:/@+=,-]*$")


def choice(argument: str, value, allowed: list[str], what: str = "value") -> str:
    """One of `allowed`, exactly (which also keeps paths and flags out of names used to build paths)."""
    if value not in allowed:
        raise Refused(f"{argument}: unknown {what} {value!r}; allowed: {', '.join(allowed) or 'none'}")
    return value


def required(argument: str, value) -> str:
    if value is None or str(value).strip() == "":
        raise Refused(f"{argument} is required")
    return str(value)


def number(argument: str, value, low: int, high: int) -> int:
    return integer(argument, value, low, high)


def address(argument: str, value) -> str:
    """A Terraform address; never something Terraform could read as a flag."""
    text = required(argument, value)
    if not ADDRESS.match(text):
        raise Refused(f"{argument} {text!r} is not a Terraform address (like aws_vpc.this, "
                      f'module.x.aws_iam_role.y["k"] or module.x)')
    return text


def remote_id(argument: str, value) -> str:
    """The id of a remote object for `terraform import`; never a flag, no spaces or control characters."""
    text = required(argument, value)
    if len(text) > 2048 or not IDENTIFIER.match(text):
        raise Refused(f"{argument} {text!r} is not an import id (letters, digits and _ . : / @ + = , -; "
                      "not starting with -)")
    return text


def lock_id(argument: str, value) -> str:
    text = required(argument, value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,80}", text):
        raise Refused(f"{argument} {text!r} is not a lock id (the id `invoke state.unlock` shows, like "
                      "0c8f1f7e-...)")
    return text


def new_file(argument: str, value) -> Path:
    """A file to create: its folder exists, nothing is there yet."""
    path = Path(required(argument, value)).expanduser()
    if path.exists() or path.is_symlink():
        raise Refused(f"{argument} {path} already exists; choose another path; nothing was written")
    if not path.parent.is_dir():
        raise Refused(f"{argument} {path}: the folder {path.parent} does not exist; nothing was written")
    return path


def output_dir(argument: str, value) -> Path:
    """A folder to write into: a folder or nothing yet, never a file."""
    path = Path(required(argument, value)).expanduser()
    if path.exists() and not path.is_dir():
        raise Refused(f"{argument} {path} is a file, not a folder; nothing was written")
    return path
