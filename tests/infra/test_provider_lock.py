"""root.hcl writes the lock of the environment's provider release into every unit: local the offline 3.39.0,
dev/stage/prod 6.25.0 (tests/modules/test_provider_locks.py checks both against the modules' constraints)."""

import pytest

from tbyte.core import paths
from tbyte.core.environment import Environment, environments
from tbyte.infra.graph import graph, render

UNITS = [(env, name) for env in environments() for name in graph(Environment.resolve(env)).stacks]


@pytest.fixture(scope="module")
def lock_of():
    return lambda env, stack: render(Environment.resolve(env), stack)["generate"]["lock"]["contents"]


@pytest.mark.parametrize(("env", "stack"), UNITS, ids=[f"{e}/{s}" for e, s in UNITS])
def test_each_unit_gets_its_environments_lock(lock_of, env, stack):
    expected = ".terraform.lock.hcl" if env == "local" else ".terraform.lock.aws.hcl"
    assert lock_of(env, stack) == (paths.TERRAGRUNT / expected).read_text()
    assert ('version     = "3.39.0"' if env == "local" else 'version     = "6.25.0"') in lock_of(env, stack)
