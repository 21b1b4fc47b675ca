"""A healthy local platform (after `invoke up`, and after every drill put it back) gives the doctor nothing to
report: no false positives, as a person runs it."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("doctor-platform")]


@pytest.mark.parametrize("check", ["k8s", "aws", "terraform"])
def test_the_doctor_finds_nothing_on_a_healthy_platform(doctor_platform, check):
    platform, _ = doctor_platform
    result = platform.invoke("doctor", check, "--env", "local", check=False)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert f"doctor {check} of local" in result.stdout
    assert "healthy: nothing found" in result.stdout
