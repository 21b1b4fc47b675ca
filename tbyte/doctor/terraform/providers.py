"""The provider lock against the code and the providers at hand (TF007): the version the environment's lock file
pins must satisfy every constraint of the modules its stacks use (or `terraform init -lockfile=readonly` fails),
and for local the verified mirror must hold that very package (its zh: hash in the lock)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tbyte.core import hcl, paths
from tbyte.core.environment import Environment
from tbyte.doctor.actions import FileEdit
from tbyte.doctor.findings import Finding
from tbyte.infra.graph import Stack

AWS = "registry.terraform.io/hashicorp/aws"


def lock_file(env: Environment) -> Path:
    """root.hcl's choice: one lock for local (the offline provider), one for the AWS environments."""
    return paths.TERRAGRUNT / (".terraform.lock.hcl" if env.is_local else ".terraform.lock.aws.hcl")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def satisfies(version: str, constraint: str) -> bool:
    """Terraform's version constraints: =, !=, >, >=, <, <=, ~> joined by commas."""
    have = _version(version)
    for part in (p.strip() for p in constraint.split(",") if p.strip()):
        operator, wanted = re.match(r"(~>|>=|<=|!=|=|>|<)?\s*(.+)", part).groups()
        want = _version(wanted)
        checks = {None: have == want, "=": have == want, "!=": have != want, ">": have > want, ">=": have >= want,
                  "<": have < want, "<=": have <= want,
                  "~>": have >= want and have[: len(want) - 1] == want[: len(want) - 1]}
        if not checks[operator]:
            return False
    return True


def module_constraints(folder: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(folder.glob("*.tf")):
        for block in hcl.load(path).get("terraform", []):
            for providers in block.get("required_providers", []):
                aws = providers.get("aws")
                if isinstance(aws, dict) and aws.get("version"):
                    found.append((path, str(aws["version"])))
    return found


def analyze(env: Environment, stacks: list[Stack]) -> list[Finding]:
    path = lock_file(env)
    locked = hcl.blocks(hcl.load(path), "provider").get(AWS)
    if not locked:
        return [Finding("TF007", "critical", f"lock {path.name}", f"the lock file pins no {AWS}", (),
                        "restore the committed lock file (git checkout) or create it with `terragrunt providers lock`")]
    version, declared = str(locked["version"]), str(locked.get("constraints", ""))
    found = []
    folders = sorted({paths.ROOT / folder for stack in stacks for folder in stack.modules})
    for folder in folders:
        for file, constraint in module_constraints(folder):
            if satisfies(version, constraint):
                continue
            relative = str(file.relative_to(paths.ROOT))
            found.append(Finding(
                "TF007", "critical", f"module {file.parent.relative_to(paths.ROOT)}",
                f"its provider constraint excludes the locked hashicorp/aws {version}",
                (f"{relative} requires {constraint!r}; {path.name} pins {version} (constraints {declared!r})",
                 "init with -lockfile=readonly refuses to change the lock, so every stack using it fails"),
                f"keep the platform's constraint {declared!r} (or move the lock and the mirror to a version that "
                "satisfies both, through a reviewed lock change)",
                (FileEdit(relative, f'version = "{constraint}"', f'version = "{declared}"'),) if declared else ()))
    if env.is_local:
        found += _mirror(path, version, [str(h) for h in locked.get("hashes", [])])
    return found


def _mirror(lock: Path, version: str, hashes: list[str]) -> list[Finding]:
    folder = paths.PROVIDER_MIRROR / AWS
    packages = sorted(folder.glob("terraform-provider-aws_*_linux_amd64.zip")) if folder.is_dir() else []
    if not packages:
        return []  # the mirror is made by `invoke toolchain`; nothing to compare with yet
    held = {re.search(r"_(\d+\.\d+\.\d+)_", p.name).group(1): p for p in packages}
    if version in held:
        digest = "zh:" + hashlib.sha256(held[version].read_bytes()).hexdigest()
        if digest in hashes:
            return []
        problem, evidence = (f"the mirror's {version} package is not one the lock trusts",
                             f"{held[version].name} hashes to {digest}, which {lock.name} does not list")
        return [Finding("TF007", "critical", f"lock {lock.name}", problem, (evidence,),
                        "never edit hashes to match: rebuild the mirror (`invoke toolchain`, which checks the "
                        "package against HashiCorp's published hash) and restore the committed lock")]
    mirrored = sorted(held)
    matching = [v for v in mirrored if "zh:" + hashlib.sha256(held[v].read_bytes()).hexdigest() in hashes]
    actions = (FileEdit(str(lock.relative_to(paths.ROOT)), f'version     = "{version}"',
                        f'version     = "{matching[0]}"'),) if matching else ()
    return [Finding("TF007", "critical", f"lock {lock.name}", f"the lock pins hashicorp/aws {version}, which the "
                    "offline mirror does not hold",
                    (f"the mirror holds {', '.join(mirrored)}",
                     *([f"the lock's hashes are those of {matching[0]}: only its version line was changed"]
                       if matching else [])),
                    "pin the version the mirror verified" if matching else
                    "restore the committed lock file", actions)]
