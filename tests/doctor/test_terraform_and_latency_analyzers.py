"""The Terraform and latency analyzers on recorded data: version constraints, dependency blocks, access-denied
messages (an encoded one decoded through a recorded STS answer), delete/create pairs of a plan, ranked suspects."""

import json

import boto3
from botocore.stub import Stubber

from tbyte.core.environment import Environment
from tbyte.doctor.latency.sources import Metrics
from tbyte.doctor.latency.suspects import Reading, rank
from tbyte.doctor.terraform import access, cycles, moves, providers

UNIT = '''include "root" {
  path = "x"
}

dependency "eks" {
  config_path = "../eks"
  mock_outputs = { cluster_name = "x" }
}

inputs = {}
'''


def test_version_constraints_as_terraform_reads_them():
    assert providers.satisfies("3.39.0", ">= 3.39.0, < 7.0.0")
    assert not providers.satisfies("3.39.0", ">= 4.0.0, < 7.0.0")
    assert providers.satisfies("3.39.1", "~> 3.39.0") and not providers.satisfies("3.40.0", "~> 3.39.0")
    assert providers.satisfies("6.25.0", "~> 6.0") and not providers.satisfies("7.0.0", "~> 6.0")


def test_a_dependency_block_is_cut_out_whole():
    block = cycles.block_text(UNIT, "eks")
    assert block.startswith('dependency "eks" {') and block.rstrip().endswith("}") and "inputs" not in block
    assert cycles.block_text(UNIT, "vpc") is None


PLAIN = ("Error: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 403, api error "
         "UnauthorizedOperation: You are not authorized to perform this operation. User: "
         "arn:aws:sts::123456789012:assumed-role/deploy/s is not authorized to perform: ec2:CreateVpc on resource: "
         "arn:aws:ec2:eu-central-1:123456789012:vpc/* with an explicit deny in a service control policy.\n")
ENCODED = ("Error: error creating EC2 VPC: UnauthorizedOperation: You are not authorized to perform this operation. "
           "Encoded authorization failure message: AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n")
# What sts DecodeAuthorizationMessage answers (its documented shape), for ENCODED.
DECODED = {"allowed": False, "explicitDeny": False, "matchedStatements": {"items": []}, "failures": {"items": []},
           "context": {"principal": {"id": "AROA:s", "arn": "arn:aws:sts::123456789012:assumed-role/deploy/s"},
                       "action": "ec2:RunInstances",
                       "resource": "arn:aws:ec2:eu-central-1:123456789012:instance/*", "conditions": {"items": []}}}


def test_access_denied_is_decoded_into_the_action_resource_and_reason():
    env = Environment.resolve("dev")
    denial = access.read(env, PLAIN)
    assert (denial.role(), denial.action, denial.resource) == ("deploy", "ec2:CreateVpc",
                                                               "arn:aws:ec2:eu-central-1:123456789012:vpc/*")
    assert denial.reason == "an explicit deny in a service control policy"
    client = boto3.Session().client("sts", region_name="eu-central-1", aws_access_key_id="x",
                                    aws_secret_access_key="x")
    env.memo["client:sts"] = client
    with Stubber(client) as stub:
        stub.add_response("decode_authorization_message", {"DecodedMessage": json.dumps(DECODED)},
                          {"EncodedMessage": "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"})
        denial = access.read(env, ENCODED)
    assert denial.decoded and (denial.action, denial.resource) == (
        "ec2:RunInstances", "arn:aws:ec2:eu-central-1:123456789012:instance/*")
    assert denial.reason == "no statement allows it"


def change(address, action, before=None, after=None, unknown=None):
    kind, name = address.split(".")[-2:]
    return {"address": address, "type": kind, "name": name, "mode": "managed",
            "change": {"actions": [action], "before": before, "after": after, "after_unknown": unknown or {}}}


def test_a_rename_is_a_delete_and_a_create_with_the_same_values():
    values = {"vpc_id": "vpc-1", "tags": {"Name": "x"}}
    changes = [change("aws_internet_gateway.this", "delete", before={**values, "id": "igw-1", "arn": "a"}),
               change("aws_internet_gateway.main", "create", after=values, unknown={"id": True, "arn": True}),
               change("aws_route.other", "create", after={"gateway_id": None}, unknown={"gateway_id": True})]
    found = moves.pairs(changes)
    assert [(old["address"], new["address"]) for old, new in found] == [("aws_internet_gateway.this",
                                                                         "aws_internet_gateway.main")]
    assert moves.moved_blocks(found, changes) == [("aws_internet_gateway.this", "aws_internet_gateway.main")]
    assert moves.pairs([change("aws_internet_gateway.this", "delete", before=values),
                        change("aws_internet_gateway.main", "create", after={**values, "vpc_id": "vpc-2"})]) == []


def test_suspects_are_ranked_by_how_far_past_their_threshold_they_are():
    reading = Reading("frontend", "tbyte", 1.0, alb_p95=1.9, requests=1200, errors_5xx=30, service_p95=1.8,
                      database="db", vcpus=2, db_load=5.6, db_cpu=48, waits=[("IO:DataFileRead", 3.9)],
                      cache="c", hits=9800, misses=200, evictions=0)
    found = rank(reading)
    assert [(f.rank, f.code, f.severity) for f in found] == [(1, "LAT001", "critical"), (2, "LAT005", "warning")]
    assert "DBLoad 5.6 average active sessions on 2 vCPUs (2.8x)" in found[0].evidence[0]
    healthy = Reading("frontend", "tbyte", 1.0, alb_p95=0.12, requests=1200, errors_5xx=2, service_p95=0.1,
                      database="db", db_load=0.4, db_cpu=12, hits=9800, misses=200, evictions=0, throttled=0.02)
    assert rank(healthy) == []
    alone = Reading("frontend", "tbyte", 1.0, alb_p95=1.65, service_p95=1.6)
    assert [f.code for f in rank(alone)] == ["LAT007"]


def test_a_dimension_set_listed_twice_is_read_once():
    env = Environment.resolve("local")
    client = boto3.Session().client("cloudwatch", region_name="eu-central-1", aws_access_key_id="x",
                                    aws_secret_access_key="x")
    env.memo["client:cloudwatch"] = client
    listed = [{"Namespace": "TByte/Local", "MetricName": "db_load_by_wait",
               "Dimensions": [{"Name": "WaitEvent", "Value": event}]} for event in ("CPU", "IO:DataFileRead", "CPU")]
    with Stubber(client) as stub:
        stub.add_response("list_metrics", {"Metrics": listed},
                          {"Namespace": "TByte/Local", "MetricName": "db_load_by_wait"})
        found = Metrics(env, 30).dimension_values("TByte/Local", "db_load_by_wait", "WaitEvent")
    assert found == [{"WaitEvent": "CPU"}, {"WaitEvent": "IO:DataFileRead"}]
