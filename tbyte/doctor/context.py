"""The environment as the doctor sees it: read-only, with the caller's own credentials.

The doctor never assumes the deployment role: it runs with whatever credentials the caller holds (a read-only
role is enough: it makes only Describe/List/Get calls, plus sts GetCallerIdentity and DecodeAuthorizationMessage).
For `local`, the emulator must already run: the doctor starts nothing.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.task import settings
from tbyte.emulator.manager import Emulator
from tbyte.infra.backend import outputs
from tbyte.infra.graph import graph
from tbyte.infra.preflight import require_credentials

WORK = paths.TOOLCHAIN / "doctor"
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def environment(context, name) -> Environment:
    """The --env of a doctor task: known, and never assuming a role."""
    return Environment.resolve(name, replace(settings(context), assume_role=False))


def require_reachable(env: Environment) -> None:
    """AWS: credentials present (no call made); local: the emulator already running."""
    if env.is_local:
        emulator = Emulator(env.settings.emulator_port)
        if not emulator.healthy():
            raise Refused(f"the AWS emulator of local does not answer on {emulator.endpoint}: bring the platform up "
                          "with `invoke up` (the doctor starts nothing)")
    else:
        require_credentials(env)


def stack_outputs(env: Environment, stack: str) -> dict:
    """A stack's outputs, read from its state (S3 GetObject)."""
    return {key: value.get("value") for key, value in outputs(graph(env).get(stack)).items()}


def work_dir(env: Environment) -> Path:
    """Where the doctor keeps what it derives (a kubeconfig), per environment and, for local, per port."""
    return WORK / (f"{env.name}-{env.settings.kube_port}" if env.is_local else env.name)


def forget(env: Environment) -> None:
    """What the doctor keeps of a local platform that is going away: its work folder and the drills' working copy
    (with the copy's own emulator)."""
    from tbyte.doctor.drills import workcopy  # drills are rarely run: not imported by every doctor task

    workcopy.remove(workcopy.location(env))
    shutil.rmtree(work_dir(env), ignore_errors=True)


def namespace_argument(value) -> str | None:
    if value is None:
        return None
    if not DNS_LABEL.match(str(value)):
        raise Refused(f"--namespace {value!r} is not a namespace name (lower-case letters, digits and -, at most 63)")
    return str(value)
