"""checkov's own environment: .toolchain/checkov/checkov-<version>-<pins hash>/, built with uv from the hashed
pins of tools/checkov/requirements.txt on first use (rebuilt only when the pins change), so that its old pins
never touch .venv."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.errors import Refused

CHECKOV_PINS = paths.TOOLS / "checkov" / "requirements.txt"
CHECKOV_HOME = paths.TOOLCHAIN / "checkov"
UV = paths.TOOLCHAIN / "uv" / "bin" / "uv"


def checkov_version() -> str:
    match = re.search(r"^checkov==(\S+)", CHECKOV_PINS.read_text(), re.M)
    if not match:
        raise Refused(f"{CHECKOV_PINS.relative_to(paths.ROOT)} pins no checkov version")
    return match.group(1)


def pins_key() -> str:
    return hashlib.sha256(CHECKOV_PINS.read_bytes()).hexdigest()[:12]


def checkov_home() -> Path:
    return CHECKOV_HOME / f"checkov-{checkov_version()}-{pins_key()}"


def _uv() -> str:
    if UV.exists():
        return str(UV)
    found = shutil.which("uv")
    if found:
        return found
    raise Refused("installing checkov needs uv (.toolchain/uv/bin/uv, from `bash scripts/bootstrap.sh`); none found")


def _base_python() -> str:
    """The interpreter behind .venv, for checkov's environment (uv never downloads one)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_checkov(log=say) -> Path:
    """checkov's environment, built from the hashed pins on first use; its python. Idempotent and locked."""
    home = checkov_home()
    marker = home / ".tbyte-complete"
    if marker.exists():
        return home / "bin" / "python"
    CHECKOV_HOME.mkdir(parents=True, exist_ok=True)
    with (CHECKOV_HOME / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel scans (tests) build it once
        if marker.exists():
            return home / "bin" / "python"
        log(f"installing checkov {checkov_version()} into {home.relative_to(paths.ROOT)} "
            "(one time; from the hashed pins of tools/checkov/requirements.txt)")
        shutil.rmtree(home, ignore_errors=True)
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(home)}
        steps = [
            [_uv(), "venv", "--quiet", "--python", _base_python(), str(home)],
            [_uv(), "pip", "sync", "--quiet", "--require-hashes", "--compile-bytecode", "--python",
             str(home / "bin" / "python"), str(CHECKOV_PINS)],
        ]
        for command in steps:
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                shutil.rmtree(home, ignore_errors=True)
                raise Refused(f"installing checkov failed: {' '.join(command[:3])}: "
                                f"{(result.stderr or result.stdout).strip()[-2000:]}")
        marker.write_text(pins_key() + "\n")
        for old in CHECKOV_HOME.glob("checkov-*"):  # environments of earlier pins
            if old != home and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return home / "bin" / "python"
