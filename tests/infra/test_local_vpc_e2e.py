"""The VPC stack of `local` planned, applied, re-planned and destroyed through terragrunt in the emulator."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("local-vpc")]


def local_vpcs(emulator):
    vpcs = emulator.client("ec2").describe_vpcs(Filters=[{"Name": "tag:environment", "Values": ["local"]}])["Vpcs"]
    return [vpc for vpc in vpcs if vpc["State"] == "available"]


def test_vpc_stack_applies_replans_clean_and_destroys(local_platform):
    local_platform.invoke("plan", "--env", "local", "--stack", "vpc")
    local_platform.invoke("apply", "--env", "local", "--stack", "vpc")

    vpcs = local_vpcs(local_platform.emulator)
    assert [vpc["CidrBlock"] for vpc in vpcs] == ["10.10.0.0/16"]
    tags = {tag["Key"]: tag["Value"] for tag in vpcs[0]["Tags"]}
    assert tags["Name"] == "tbyte-local" and tags["cost-center"] and tags["owner"]

    replan = local_platform.invoke("plan", "--env", "local", "--stack", "vpc", "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr

    local_platform.invoke("destroy", "--env", "local", "--stack", "vpc")
    assert local_platform.emulator.status()["running"], "checked while the emulator still runs"
    assert local_vpcs(local_platform.emulator) == []
