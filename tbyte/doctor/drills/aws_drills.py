"""B2 drills: the local platform's AWS resources (in the emulator) broken the way accounts break."""

from __future__ import annotations

import json

from tbyte.doctor.drills import aws_functions as function
from tbyte.doctor.drills import aws_platform as p
from tbyte.doctor.drills.bench import Bench
from tbyte.doctor.drills.registry import Drill

STATE_BUCKET = "tbyte-terraform-state-local"
DEPLOY_ROLE = "arn:aws:iam::123456789012:role/tbyte-local-github-deploy"


def _route_back(bench: Bench) -> None:
    p.ensure_route(bench, p.private_table(bench), NatGatewayId=p.nat(bench))


def _blackhole(bench: Bench) -> None:
    ec2 = bench.client("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    subnet = p.named(bench, "subnet", "tbyte-local-public-eu-central-1a")["SubnetId"]
    spare = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    bench.stash.update(allocation=allocation, platform_nat=p.nat(bench))
    bench.save()
    ec2.replace_route(RouteTableId=p.private_table(bench), DestinationCidrBlock=p.ANY, NatGatewayId=spare)
    ec2.delete_nat_gateway(NatGatewayId=spare)


def _blackhole_back(bench: Bench) -> None:
    if bench.stash.get("platform_nat"):
        p.ensure_route(bench, p.private_table(bench), NatGatewayId=bench.stash["platform_nat"])
    if bench.stash.get("allocation"):
        bench.client("ec2").release_address(AllocationId=bench.stash["allocation"])


def _specific(bench: Bench) -> None:
    subnet = p.named(bench, "subnet", "tbyte-local-private-eu-central-1a")["SubnetId"]
    eni = bench.client("ec2").create_network_interface(SubnetId=subnet, Description="drill appliance")[
        "NetworkInterface"]["NetworkInterfaceId"]
    bench.stash["eni"] = eni
    bench.save()
    bench.client("ec2").create_route(RouteTableId=p.private_table(bench), DestinationCidrBlock="0.0.0.0/1",
                                     NetworkInterfaceId=eni)


def _specific_back(bench: Bench) -> None:
    ec2 = bench.client("ec2")
    routes = ec2.describe_route_tables(RouteTableIds=[p.private_table(bench)])["RouteTables"][0]["Routes"]
    if any(r.get("DestinationCidrBlock") == "0.0.0.0/1" for r in routes):
        ec2.delete_route(RouteTableId=p.private_table(bench), DestinationCidrBlock="0.0.0.0/1")
    if bench.stash.get("eni"):
        ec2.delete_network_interface(NetworkInterfaceId=bench.stash["eni"])


def _revoke_nodes(bench: Bench) -> None:
    for index, group in enumerate(p.node_groups(bench)):
        p.revoke(bench, f"node-{index}", group, egress=True)


def _bucket_deny(bench: Bench) -> None:
    bench.client("s3").put_bucket_policy(Bucket=STATE_BUCKET, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "OnlyTheDeployRole", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{STATE_BUCKET}", f"arn:aws:s3:::{STATE_BUCKET}/*"],
            "Condition": {"ArnNotEquals": {"aws:PrincipalArn": DEPLOY_ROLE}}}]}))


def _public_policy(bench: Bench) -> None:
    bench.client("s3").put_bucket_policy(Bucket=STATE_BUCKET, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{STATE_BUCKET}/*"}]}))


def _endpoint(bench: Bench, policy: dict) -> None:
    endpoint = bench.client("ec2").describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [p.vpc(bench)]}])[
        "VpcEndpoints"][0]["VpcEndpointId"]
    bench.client("ec2").modify_vpc_endpoint(VpcEndpointId=endpoint, PolicyDocument=json.dumps(policy))


ONLY_STATE = {"Version": "2012-10-17", "Statement": [{
    "Sid": "StateBucketOnly", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
    "Resource": [f"arn:aws:s3:::{STATE_BUCKET}", f"arn:aws:s3:::{STATE_BUCKET}/*"]}]}
FULL = {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def _bucket_key(bench: Bench) -> None:
    key = p.key_of_group(bench, p.FLOW_LOGS)
    p.remember_key_policy(bench, key)
    bench.client("s3").put_bucket_encryption(Bucket=STATE_BUCKET, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}]})


def _bucket_key_back(bench: Bench) -> None:
    bench.client("s3").put_bucket_encryption(Bucket=STATE_BUCKET, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    p.put_key_policies_back(bench)


def _stop_database(bench: Bench) -> None:
    bench.client("rds").stop_db_instance(DBInstanceIdentifier="tbyte-local")


def _start_database(bench: Bench) -> None:
    rds = bench.client("rds")
    if rds.describe_db_instances(DBInstanceIdentifier="tbyte-local")["DBInstances"][0]["DBInstanceStatus"] == \
            "stopped":
        rds.start_db_instance(DBInstanceIdentifier="tbyte-local")


def _delete_group(bench: Bench) -> None:
    logs = bench.client("logs")
    group = logs.describe_log_groups(logGroupNamePrefix=p.FLOW_LOGS)["logGroups"][0]
    bench.stash["group"] = {"kms": group.get("kmsKeyId"), "retention": group.get("retentionInDays"),
                            "tags": logs.list_tags_log_group(logGroupName=p.FLOW_LOGS).get("tags", {})}
    bench.save()
    logs.delete_log_group(logGroupName=p.FLOW_LOGS)


def _group_back(bench: Bench) -> None:
    logs, kept = bench.client("logs"), bench.stash.get("group")
    if not kept:
        return
    if not logs.describe_log_groups(logGroupNamePrefix=p.FLOW_LOGS)["logGroups"]:
        logs.create_log_group(logGroupName=p.FLOW_LOGS, kmsKeyId=kept["kms"])
    logs.put_retention_policy(logGroupName=p.FLOW_LOGS, retentionInDays=kept["retention"])
    logs.tag_log_group(logGroupName=p.FLOW_LOGS, tags=kept["tags"])


def _key_without_logs(bench: Bench) -> None:
    key = p.key_of_group(bench, p.FLOW_LOGS)
    policy = p.remember_key_policy(bench, key)
    kept = [s for s in policy["Statement"] if s.get("Sid") != "CloudWatchLogsUseForTheseLogGroups"]
    bench.client("kms").put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(
        {**policy, "Statement": kept}))


def _drop_role_policy(bench: Bench) -> None:
    iam = bench.client("iam")
    document = iam.get_role_policy(RoleName="tbyte-local-vpc-flow-logs", PolicyName="write-flow-logs")
    bench.stash["role-policy"] = document["PolicyDocument"]
    bench.save()
    iam.delete_role_policy(RoleName="tbyte-local-vpc-flow-logs", PolicyName="write-flow-logs")


def _role_policy_back(bench: Bench) -> None:
    if bench.stash.get("role-policy"):
        bench.client("iam").put_role_policy(RoleName="tbyte-local-vpc-flow-logs", PolicyName="write-flow-logs",
                                            PolicyDocument=json.dumps(bench.stash["role-policy"]))


def _object(prefix: str):
    return lambda finding: finding.object.startswith(prefix)


DRILLS = [
    Drill("nat-route-missing", "aws", "AWS001", "the default route of the zone-a private route table deleted",
          lambda b: b.client("ec2").delete_route(RouteTableId=p.private_table(b), DestinationCidrBlock=p.ANY),
          _route_back, _object("subnet ")),
    Drill("nat-blackhole", "aws", "AWS002", "the zone-a private default route sent to a NAT gateway since deleted",
          _blackhole, _blackhole_back, _object("route table ")),
    Drill("specific-route", "aws", "AWS003", "a route 0.0.0.0/1 to an appliance's interface, more specific than the "
          "default route", _specific, _specific_back, _object("route table ")),
    Drill("igw-route-missing", "aws", "AWS005", "the public route table's route to the internet gateway deleted",
          lambda b: b.client("ec2").delete_route(RouteTableId=p.public_table(b), DestinationCidrBlock=p.ANY),
          lambda b: p.ensure_route(b, p.public_table(b), GatewayId=p.igw(b)), _object("subnet ")),
    Drill("node-egress-revoked", "aws", "AWS006", "every egress rule of the nodes' security groups revoked",
          _revoke_nodes, p.put_rules_back, _object("security group ")),
    Drill("nacl-egress-deny", "aws", "AWS007", "the VPC's network ACL denies HTTPS out (rule 50)",
          lambda b: p.deny_entry(b, 50, True, (443, 443)), lambda b: p.drop_acl_entry(b, 50, True),
          _object("network ACL ")),
    Drill("nacl-return-deny", "aws", "AWS008", "the VPC's network ACL denies the ephemeral ports in (rule 60)",
          lambda b: p.deny_entry(b, 60, False, (1024, 65535)), lambda b: p.drop_acl_entry(b, 60, False),
          _object("network ACL ")),
    Drill("bucket-policy-deny", "aws", "AWS010", "a state bucket policy that denies everyone but the deploy role",
          _bucket_deny, lambda b: b.client("s3").delete_bucket_policy(Bucket=STATE_BUCKET),
          _object(f"bucket {STATE_BUCKET}")),
    Drill("bucket-public-policy", "aws", "AWS013", "a public-read statement on the state bucket, whose Block Public "
          "Access refuses it", _public_policy, lambda b: b.client("s3").delete_bucket_policy(Bucket=STATE_BUCKET),
          _object(f"bucket {STATE_BUCKET}")),
    Drill("endpoint-policy", "aws", "AWS011", "the S3 gateway endpoint's policy narrowed to the state bucket",
          lambda b: _endpoint(b, ONLY_STATE), lambda b: _endpoint(b, FULL), _object("VPC endpoint ")),
    Drill("bucket-key", "aws", "AWS012", "the state bucket encrypted with a KMS key its readers may not use",
          _bucket_key, _bucket_key_back, _object(f"bucket {STATE_BUCKET}")),
    Drill("lambda-public-subnet", "aws", "AWS020", "a function attached to the public subnets",
          lambda b: function.create(b, "public"), function.remove, _object(f"function {function.NAME}")),
    Drill("lambda-no-egress", "aws", "AWS021", "a function whose security group allows no egress",
          lambda b: function.create(b, "private", egress=False), function.remove,
          _object(f"function {function.NAME}")),
    Drill("lambda-role", "aws", "AWS023", "a function whose role lacks the VPC access policy",
          lambda b: function.create(b, "private", vpc_access=False), function.remove,
          _object(f"function {function.NAME}")),
    Drill("database-stopped", "aws", "AWS030", "the database instance stopped", _stop_database, _start_database,
          _object("database tbyte-local")),
    Drill("database-sg-revoked", "aws", "AWS031", "the database security group's ingress from the nodes revoked",
          lambda b: p.revoke(b, "database", p.database_group(b), egress=False), p.put_rules_back,
          _object("security group ")),
    Drill("database-nacl-deny", "aws", "AWS033", "the VPC's network ACL denies 5432 in (rule 70)",
          lambda b: p.deny_entry(b, 70, False, (5432, 5432)), lambda b: p.drop_acl_entry(b, 70, False),
          _object("network ACL ")),
    Drill("log-group-deleted", "aws", "AWS040", "the VPC flow logs' log group deleted", _delete_group, _group_back,
          _object(f"log group {p.FLOW_LOGS}")),
    Drill("log-retention-removed", "aws", "AWS041", "the EKS control-plane log group's retention removed",
          lambda b: b.client("logs").delete_retention_policy(logGroupName=p.EKS_LOGS),
          lambda b: b.client("logs").put_retention_policy(logGroupName=p.EKS_LOGS, retentionInDays=7),
          _object(f"log group {p.EKS_LOGS}")),
    Drill("logs-key-policy", "aws", "AWS042", "the flow-log key's statement for CloudWatch Logs removed",
          _key_without_logs, p.put_key_policies_back, _object(f"log group {p.FLOW_LOGS}")),
    Drill("flow-log-role", "aws", "AWS043", "the flow-log delivery role's write policy deleted", _drop_role_policy,
          _role_policy_back, _object("role tbyte-local-vpc-flow-logs")),
]
