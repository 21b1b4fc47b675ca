"""The local platform the doctor's slow tests diagnose, and running a drill as a test.

One platform per test session, brought up with `invoke up` on free ports and brought down at the end. A platform
already up can be reused instead: set INVOKE_TBYTE_EMULATOR_PORT and INVOKE_TBYTE_KUBE_PORT to its ports (it is
left running).
"""

from __future__ import annotations

import os

import pytest

from tbyte.core.environment import Environment
from tbyte.core.settings import Settings
from tbyte.doctor.drills import record, runner
from tbyte.doctor.drills.registry import drills
from tbyte.emulator.manager import Emulator
from tbyte.emulator.manager import free_port as find_free_port
from tests.conftest import LocalPlatform


def reusable() -> dict | None:
    ports = {name: os.environ.get(name) for name in ("INVOKE_TBYTE_EMULATOR_PORT", "INVOKE_TBYTE_KUBE_PORT")}
    if all(ports.values()) and Emulator(port=int(ports["INVOKE_TBYTE_EMULATOR_PORT"])).healthy():
        return ports
    return None


@pytest.fixture(scope="session")
def doctor_platform(tmp_path_factory):
    """(the platform's invoke runner, its `local` Environment), healthy after `invoke up`."""
    ports = reusable()
    owned = ports is None
    if owned:
        ports = {"INVOKE_TBYTE_EMULATOR_PORT": str(find_free_port()), "INVOKE_TBYTE_KUBE_PORT": str(find_free_port())}
    plans = str(tmp_path_factory.mktemp("plans")) if owned else os.environ.get("INVOKE_TBYTE_PLANS_DIR")
    env = {**ports, **({"INVOKE_TBYTE_PLANS_DIR": plans} if plans else {})}
    platform = LocalPlatform(Emulator(port=int(ports["INVOKE_TBYTE_EMULATOR_PORT"])), env)
    settings = Settings.from_config({"emulator_port": ports["INVOKE_TBYTE_EMULATOR_PORT"],
                                     "kube_port": ports["INVOKE_TBYTE_KUBE_PORT"], "assume_role": False,
                                     **({"plans_dir": plans} if plans else {})})
    environment = Environment.resolve("local", settings)
    try:
        if owned:
            platform.invoke("up")
        yield platform, environment
    finally:
        if owned:
            platform.remove()


def run_drill(environment: Environment, name: str) -> None:
    """Break, diagnose, apply the printed fix, diagnose clean, restore; the doctor printed what the guide shows."""
    drill = drills()[name]
    before, after = runner.cycle(drill, runner.bench_for(drill, environment))
    finding = runner.found(drill, before)
    assert finding is not None and finding.code == drill.code, before.codes()
    assert after.findings == [], after.codes()
    assert record.differences(drill, (before, after)) == []


def names(check: str) -> list[str]:
    return sorted(name for name, drill in drills().items() if drill.check == check)
