"""The Lambda drills' function: one function attached to the local VPC, with its own role and security group,
made the way a team would make it wrong, and removed afterwards (the platform itself runs no Lambda)."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile

from botocore.exceptions import ClientError

from tbyte.doctor.drills import aws_platform as platform
from tbyte.doctor.drills.bench import Bench

NAME = "tbyte-local-drill-function"
VPC_ACCESS = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                  "Principal": {"Service": "lambda.amazonaws.com"}}]}


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def create(bench: Bench, tier: str, egress: bool = True, vpc_access: bool = True) -> None:
    """The function in the VPC's `tier` subnets, its group with or without egress, its role with or without
    AWSLambdaVPCAccessExecutionRole."""
    iam, ec2 = bench.client("iam"), bench.client("ec2")
    role = iam.create_role(RoleName=NAME, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    if vpc_access:
        iam.attach_role_policy(RoleName=NAME, PolicyArn=VPC_ACCESS)
    group = ec2.create_security_group(GroupName=NAME, Description="drill function", VpcId=platform.vpc(bench))[
        "GroupId"]
    if not egress:
        rules = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissionsEgress"]
        ec2.revoke_security_group_egress(GroupId=group, IpPermissions=rules)
    subnets = [platform.named(bench, "subnet", f"tbyte-local-{tier}-eu-central-1{zone}")["SubnetId"]
               for zone in "ab"]
    bench.client("lambda").create_function(
        FunctionName=NAME, Runtime="python3.12", Role=role, Handler="handler.handler", Code={"ZipFile": _code()},
        VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": [group]})


def remove(bench: Bench) -> None:
    iam, ec2 = bench.client("iam"), bench.client("ec2")
    for call in (lambda: bench.client("lambda").delete_function(FunctionName=NAME),
                 lambda: iam.detach_role_policy(RoleName=NAME, PolicyArn=VPC_ACCESS),
                 lambda: iam.delete_role(RoleName=NAME),
                 lambda: ec2.delete_security_group(GroupId=platform.named(bench, "security-group", NAME)["GroupId"])):
        with contextlib.suppress(ClientError, LookupError):
            call()
