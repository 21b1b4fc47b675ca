"""Suppressions and their reasons: inline skips, .checkov.yaml's global skips, policies/exceptions.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.policy.config import CONFIG, EXCEPTIONS_FILE, SECRETS_EXCLUDED

# Where suppressions live; tests/policy/fixtures holds deliberate violations and is not part of the policy.
SUPPRESSION_ROOTS = ("modules", "terragrunt", "helm")
TARGET_KINDS = ("modules", "plans", "helm", "workflows", "secrets", "path")
EXCEPTION_KEYS = {"check", "reason", "targets", "environments", "resources", "paths"}
CHECK_ID = re.compile(r"^(CKV2?_[A-Z0-9]+_\d+|CKV_SECRET_\d+|CKV_TBYTE_\d+)$")

# checkov's own suppression syntax (checkov/common/comment/enum.py) and the Kubernetes annotation form.
SKIP_COMMENT = re.compile(r"(?:checkov|bridgecrew):skip=\s*([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(:[^\n]*)?")
SKIP_ANNOTATION = re.compile(r"checkov\.io/skip\d*[\"']?\s*:\s*[\"']?([A-Za-z_\d-]+)(=[^\"'\n]*)?")


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    checks: str
    reason: str


def suppressions(roots: tuple[str, ...] = SUPPRESSION_ROOTS, base: Path = paths.ROOT) -> list[Suppression]:
    """Every inline suppression (skip comment or checkov.io/skip annotation) under the roots, with its reason."""
    found = []
    for root in roots:
        for path in sorted((base / root).rglob("*")):
            if not path.is_file() or any(part in SECRETS_EXCLUDED for part in path.relative_to(base).parts):
                continue
            try:
                text = path.read_text()
            except (UnicodeDecodeError, OSError):
                continue
            if "skip" not in text:
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                for match in SKIP_COMMENT.finditer(line):
                    reason = (match.group(2) or "")[1:].strip()
                    found.append(Suppression(str(path.relative_to(base)), number, match.group(1) or "", reason))
                for match in SKIP_ANNOTATION.finditer(line):
                    reason = (match.group(2) or "")[1:].strip()
                    found.append(Suppression(str(path.relative_to(base)), number, match.group(1), reason))
    return found


def config_skips(config: Path = CONFIG) -> list[tuple[str, str]]:
    """(check id, reason) of each global skip of .checkov.yaml; the reason is the comment on the entry's line."""
    document = yaml.safe_load(config.read_text()) or {}
    skips = document.get("skip-check") or []
    if isinstance(skips, str):
        skips = [item.strip() for item in skips.split(",")]
    reasons = {}
    for line in config.read_text().splitlines():
        match = re.match(r"^\s*-\s*([A-Za-z_\d-]+)\s*(?:#\s*(.*))?$", line)
        if match:
            reasons[match.group(1)] = (match.group(2) or "").strip()
    return [(check, reasons.get(check, "")) for check in skips]


def load_exceptions(path: Path = EXCEPTIONS_FILE) -> list[dict]:
    """The entries of policies/exceptions.yaml, validated: each names a check and gives its reason."""
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as error:
        raise Refused(f"{paths.shown(path)} is not valid YAML: {error}") from None
    if not isinstance(entries, list):
        raise Refused(f"{paths.shown(path)} must be a list of exceptions")
    for number, entry in enumerate(entries, start=1):
        where = f"{paths.shown(path)} entry {number}"
        if not isinstance(entry, dict):
            raise Refused(f"{where} is not a mapping")
        unknown = set(entry) - EXCEPTION_KEYS
        if unknown:
            raise Refused(f"{where}: unknown keys {', '.join(sorted(unknown))}; allowed: "
                            f"{', '.join(sorted(EXCEPTION_KEYS))}")
        if not CHECK_ID.match(str(entry.get("check", ""))):
            raise Refused(f"{where}: `check` must be a checkov check id, not {entry.get('check')!r}")
        if not str(entry.get("reason") or "").strip():
            raise Refused(f"{where} ({entry['check']}) has no reason: every suppression says why")
        for key in ("targets", "environments", "resources", "paths"):
            if key in entry and not (isinstance(entry[key], list) and all(isinstance(v, str) for v in entry[key])):
                raise Refused(f"{where}: `{key}` must be a list of strings")
        bad = set(entry.get("targets") or []) - set(TARGET_KINDS)
        if bad:
            raise Refused(f"{where}: unknown targets {', '.join(sorted(bad))}; the targets are "
                            f"{', '.join(TARGET_KINDS)}")
    return entries


def exceptions_for(entries: list[dict], kind: str, env: str | None = None) -> list[dict]:
    """The exceptions that apply to a target of this kind (and, for plans, of this environment)."""
    chosen = []
    for entry in entries:
        if entry.get("targets") and kind not in entry["targets"]:
            continue
        if entry.get("environments") and env not in entry["environments"]:
            continue
        chosen.append({key: entry[key] for key in ("check", "reason", "resources", "paths") if key in entry})
    return chosen

