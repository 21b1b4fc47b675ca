"""The aws drills against a local platform: each breaks it one way, the doctor names the break, its printed fix
heals it, and the doctor's output is what docs/runbooks/aws.md records."""

import pytest

from tests.doctor.conftest import names, run_drill

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("doctor-platform")]


@pytest.mark.parametrize("name", names("aws"))
def test_drill(doctor_platform, name):
    run_drill(doctor_platform[1], name)
