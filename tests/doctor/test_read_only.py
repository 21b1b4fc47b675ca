"""The doctor changes nothing: every AWS call its checks make is a Describe, List or Get (STS's
DecodeAuthorizationMessage aside, which reads too), so a read-only role is enough. A botocore hook on the
environment's session records the operation of each call, on a healthy platform and on a broken one."""

import pytest

from tbyte.core.environment import Environment
from tbyte.doctor.aws import check as aws_check
from tbyte.doctor.drills import runner
from tbyte.doctor.drills.registry import drills
from tbyte.doctor.latency import check as latency_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("doctor-platform")]

READS = ("Describe", "List", "Get")
ALSO_READS = {"DecodeAuthorizationMessage"}


def writes(operations: set[str]) -> set[str]:
    return {name for name in operations if not name.startswith(READS) and name not in ALSO_READS}


def recording(environment: Environment) -> tuple[Environment, set[str]]:
    """A fresh environment like the given one (its own session, no client shared with a drill's workbench) whose
    every AWS call is recorded by its operation name before it is sent."""
    fresh = Environment.resolve(environment.name, environment.settings)
    called: set[str] = set()
    fresh.session.events.register("before-call", lambda model, **_: called.add(model.name))
    return fresh, called


def test_the_filter_catches_writes():
    assert writes({"DescribeRouteTables", "GetBucketPolicy", "ListRoles", "DecodeAuthorizationMessage"}) == set()
    assert writes({"DescribeVpcs", "PutBucketPolicy", "CreateRoute", "DeleteLogGroup"}) == {
        "PutBucketPolicy", "CreateRoute", "DeleteLogGroup"}


def test_the_aws_and_latency_checks_only_read_on_a_healthy_platform(doctor_platform):
    environment, called = recording(doctor_platform[1])
    aws_check.run(environment)
    latency_check.run(environment, "frontend", 30)
    assert {"DescribeRouteTables", "DescribeSecurityGroups", "GetBucketPolicy", "GetMetricData"} <= called
    assert writes(called) == set()


def test_the_aws_check_only_reads_when_it_finds_something(doctor_platform):
    drill = drills()["nat-route-missing"]
    bench = runner.bench_for(drill, doctor_platform[1])
    try:
        runner.broken(drill, bench)
        environment, called = recording(doctor_platform[1])
        assert any(code == drill.code for code, _ in aws_check.run(environment).codes())
    finally:
        runner.restore(drill, bench)
    assert called and writes(called) == set()
