"""The settings people override, read once per task from Invoke's configuration (`c.config.tbyte`).

Defaults live here and are registered by tasks.py (`ns.configure`). Override them in invoke.yaml (or
~/.invoke.yaml, or `invoke -f FILE`), or with Invoke's environment variables, e.g.
`INVOKE_TBYTE_EMULATOR_PORT=4700 invoke up`. Values from environment variables arrive as text and are
checked here, so a bad one is refused with one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused

# Text defaults (not int): Invoke would cast an environment override to int itself and fail with a traceback.
DEFAULTS = {
    "emulator_port": "4599",  # the embedded AWS emulator on 127.0.0.1
    "kube_port": "6443",  # the local Kubernetes API server on 127.0.0.1 (its other components take free ports)
    "plans_dir": ".plans",  # saved plans, their records and logs, per environment
    "backups_dir": ".state-backups",  # state backups, per environment and stack
    "reports_dir": "reports",  # scan reports
    "terraform": "",  # your own terraform >= 1.5 instead of the embedded one
    "assume_role": True,  # False where the caller already holds the environment's role (CI)
    "backup_keep": "20",  # state backups kept per stack; older ones are deleted after each new backup
}


@dataclass(frozen=True)
class Settings:
    emulator_port: int
    kube_port: int
    plans_dir: Path
    backups_dir: Path
    reports_dir: Path
    terraform: Path | None
    assume_role: bool
    backup_keep: int

    @classmethod
    def from_config(cls, config) -> Settings:
        """The settings of an Invoke configuration section (a mapping), every value checked."""
        values = {**DEFAULTS, **dict(config or {})}
        unknown = sorted(set(values) - set(DEFAULTS))
        if unknown:
            raise Refused(f"unknown tbyte setting(s) {', '.join(unknown)}; the settings are: {', '.join(DEFAULTS)}")
        return cls(
            emulator_port=integer("emulator_port", values["emulator_port"], 1024, 65535),
            kube_port=integer("kube_port", values["kube_port"], 1024, 65535),
            plans_dir=directory(values["plans_dir"]),
            backups_dir=directory(values["backups_dir"]),
            reports_dir=directory(values["reports_dir"]),
            terraform=Path(values["terraform"]).expanduser() if str(values["terraform"]).strip() else None,
            assume_role=boolean("assume_role", values["assume_role"]),
            backup_keep=integer("backup_keep", values["backup_keep"], 1, 1000),
        )

    @classmethod
    def defaults(cls) -> Settings:
        return cls.from_config({})


def integer(name: str, value, low: int, high: int) -> int:
    """A whole number in [low, high], from a setting or an argument; anything else is refused."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise Refused(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return int(text)


def boolean(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise Refused(f"{name} must be true or false, not {value!r}")


def directory(value) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else paths.ROOT / path
