"""Files that may hold state values or secrets (saved plans, their logs, state backups, pulled states).

They are created 0600 in folders that are 0700, and written atomically: a temporary file in the same folder,
flushed to disk, then renamed over the target, so that a reader never sees half a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from tbyte.core.errors import Refused

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """The folder, made 0700, and its missing parents, created 0700 (existing parents are left as they are)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)
    path.chmod(PRIVATE_DIR)
    return path


def write_private(path: Path, content: str | bytes) -> Path:
    """Write `content` to `path` atomically, 0600, in a 0700 folder."""
    private_dir(path.parent)
    data = content.encode() if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:  # mkstemp creates it 0600
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_bounded(path: Path, argument: str, limit: int) -> bytes:
    """The bytes of a regular file no bigger than `limit`; anything else is refused."""
    try:
        status = path.stat()
    except OSError as error:
        raise Refused(f"{argument} {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise Refused(f"{argument} {path}: not a regular file")
    if status.st_size > limit:
        raise Refused(f"{argument} {path}: {status.st_size} bytes, more than the {limit} allowed")
    try:
        return path.read_bytes()
    except OSError as error:
        raise Refused(f"{argument} {path}: {error.strerror or error}") from None
