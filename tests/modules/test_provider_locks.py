"""The committed provider locks satisfy every module's aws constraint, and the AWS lock is the checked schema's release.

terragrunt/.terraform.lock.hcl (3.39.0, `local`, the offline provider) and terragrunt/.terraform.lock.aws.hcl
(6.25.0, dev/stage/prod) are written into every unit with `-lockfile=readonly`: a lock version outside a
module's `required_providers` constraint would fail that unit's init, so it fails here first.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import hcl2
import pytest

from tbyte.toolchain import provider, provider_schema

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "modules"
LOCKS = {"local": ROOT / "terragrunt" / ".terraform.lock.hcl", "aws": ROOT / "terragrunt" / ".terraform.lock.aws.hcl"}
AWS = "registry.terraform.io/hashicorp/aws"
_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False)
_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})\s*$")


def _version(text: str) -> tuple[int, int, int]:
    parts = [int(part) for part in text.split(".")]
    return (parts + [0, 0])[:3]


def satisfies(version: str, constraints: str) -> bool:
    """Terraform's version constraint syntax (comma-separated, every part must hold; `~>` pessimistic)."""
    actual = _version(version)
    for part in constraints.split(","):
        match = _CONSTRAINT.match(part)
        if not match:
            raise ValueError(f"not a version constraint: {part!r} in {constraints!r}")
        operator, wanted_text = match.group(1) or "=", match.group(2)
        wanted = _version(wanted_text)
        if operator == "~>":
            # ~> 6.25.0 allows 6.25.x; ~> 6.25 allows 6.x from 6.25 on; ~> 6 is 6.x too
            fixed = max(len(wanted_text.split(".")) - 1, 1)
            ok = actual >= wanted and actual[:fixed] == wanted[:fixed]
        else:
            ok = {
                "=": actual == wanted,
                "!=": actual != wanted,
                ">": actual > wanted,
                ">=": actual >= wanted,
                "<": actual < wanted,
                "<=": actual <= wanted,
            }[operator]
        if not ok:
            return False
    return True


def lock_version(path: Path) -> str:
    document = hcl2.loads(path.read_text(), serialization_options=_OPTIONS)
    for entry in document.get("provider", []):
        for address, body in entry.items():
            if address.strip('"') == AWS:
                return body["version"]
    raise AssertionError(f"{path} locks no {AWS}")


@functools.cache
def module_constraints() -> dict[str, str]:
    """Every module's (and submodule's) aws version constraint, by module path under modules/ (parsed once: the
    HCL parser takes seconds over every file)."""
    found = {}
    for path in sorted(MODULES.rglob("*.tf")):
        if ".terraform" in path.parts or "required_providers" not in path.read_text():
            continue
        document = hcl2.loads(path.read_text(), serialization_options=_OPTIONS)
        for terraform in document.get("terraform", []):
            for providers in terraform.get("required_providers", []):
                aws = providers.get("aws")
                if isinstance(aws, dict) and "version" in aws:
                    found[path.parent.relative_to(MODULES).as_posix()] = aws["version"]
    return found


def aws_only_modules() -> set[str]:
    """Modules that need a newer provider than the offline 3.39.0 (e.g. EKS access entries): AWS environments only."""
    local = lock_version(LOCKS["local"])
    return {module for module, constraint in module_constraints().items() if not satisfies(local, constraint)}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_module_accepts_the_locked_aws_release(lock):
    version = lock_version(LOCKS[lock])
    constraints = module_constraints()
    assert {"eks", "vpc", "rds", "node-group", "iam", "kms-key"} <= set(constraints)
    if lock == "local":
        aws_only = aws_only_modules()
        constraints = {module: c for module, c in constraints.items() if module not in aws_only}
    refused = {module: c for module, c in constraints.items() if not satisfies(version, c)}
    assert not refused, f"{LOCKS[lock].name} locks hashicorp/aws {version}, which these modules refuse: {refused}"


def test_modules_for_aws_environments_only_are_never_used_by_local():
    """`local` has only 3.39.0: no unit of it, and no module, may use a module that refuses that release."""
    aws_only = aws_only_modules()
    assert aws_only == {"eks-access"}
    local_units = [path.parent.name for path in (ROOT / "terragrunt" / "local").glob("*/terragrunt.hcl")]
    for stack in local_units:
        common = (ROOT / "terragrunt" / "_envcommon" / f"{stack}.hcl").read_text()
        assert not any(f"modules//{module}" in common for module in aws_only), stack
    for path in MODULES.rglob("*.tf"):
        text = path.read_text()
        assert not any(re.search(rf'source\s*=\s*"[./]*{re.escape(module)}"', text) for module in aws_only), path


def test_the_locks_are_the_offline_provider_and_the_checked_schema():
    assert lock_version(LOCKS["local"]) == provider.AWS_PROVIDER_VERSION
    assert lock_version(LOCKS["aws"]) == provider_schema.DEFAULT_VERSION


def test_the_aws_lock_carries_every_platforms_hashes():
    text = LOCKS["aws"].read_text()
    h1 = re.findall(r'"h1:[A-Za-z0-9+/]{43}="', text)
    zh = re.findall(r'"zh:[0-9a-f]{64}"', text)
    assert len(h1) == 14 and len(set(h1)) == 14
    assert len(zh) == 15 and len(set(zh)) == 15


@pytest.mark.parametrize(
    ("version", "constraints", "expected"),
    [
        ("6.25.0", ">= 3.39.0, < 7.0.0", True),
        ("3.39.0", ">= 3.39.0, < 7.0.0", True),
        ("6.25.0", ">= 3.39.0, < 6.0.0", False),
        ("7.0.0", ">= 3.39.0, < 7.0.0", False),
        ("3.38.9", ">= 3.39.0", False),
        ("6.25.3", "~> 6.25.0", True),
        ("6.26.0", "~> 6.25.0", False),
        ("6.40.0", "~> 6.25", True),
        ("7.0.0", "~> 6.25", False),
        ("6.25.0", "6.25.0", True),
        ("6.25.0", "!= 6.25.0", False),
    ],
)
def test_constraint_evaluation(version, constraints, expected):
    assert satisfies(version, constraints) is expected
