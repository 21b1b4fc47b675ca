"""A finding's actions travel as JSON (`invoke doctor.* --json`, read back by the drills): each kind comes back
equal to what was written, and prints the same command."""

import json

import pytest

from tbyte.doctor.actions import AwsCall, FileEdit, Invoke, Kubectl, as_dict, from_dict

ACTIONS = [
    AwsCall.of("ec2", "CreateRoute", RouteTableId="rtb-1", DestinationCidrBlock="0.0.0.0/0", NatGatewayId="nat-1"),
    Kubectl.of("-n", "tbyte", "rollout", "undo", "deployment/api"),
    Invoke.of("plan", "--env", "local", "--stack", "vpc"),
    FileEdit("terragrunt/local/vpc/terragrunt.hcl", "old = 1\n", "new = 2\n"),
]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: type(action).__name__)
def test_every_action_comes_back_from_json_as_it_was(action):
    again = from_dict(json.loads(json.dumps(as_dict(action))))
    assert again == action and type(again) is type(action)
    assert again.command() == action.command()
