"""The AWS evaluation the doctor does without a packet or a policy simulator: longest-prefix routes, network ACL
verdicts port range by port range, security groups, IAM statements and their conditions."""

from types import SimpleNamespace

from tbyte.doctor.aws import egress, network, policies
from tbyte.doctor.aws.policies import Principal

PRIVATE, PUBLIC = "subnet-0000000000000000a", "subnet-0000000000000000b"
ALLOW_ALL = [{"RuleNumber": 100, "Egress": egress_, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
             for egress_ in (True, False)]


def inventory(private_routes, public_routes=None, entries=ALLOW_ALL, egress_rules=None, nat_state="available"):
    tables = [{"RouteTableId": "rtb-private", "Associations": [{"SubnetId": PRIVATE}], "Routes": private_routes},
              {"RouteTableId": "rtb-public", "Associations": [{"SubnetId": PUBLIC}], "Routes": public_routes or [
                  {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]}]
    group = {"GroupId": "sg-node", "GroupName": "tbyte-local-node", "IpPermissionsEgress": egress_rules if
             egress_rules is not None else [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
    return SimpleNamespace(
        subnets={PRIVATE: {"SubnetId": PRIVATE, "CidrBlock": "10.10.0.0/20", "AvailabilityZone": "a",
                           "Tags": [{"Key": "Tier", "Value": "private"}]},
                 PUBLIC: {"SubnetId": PUBLIC, "CidrBlock": "10.10.96.0/24", "AvailabilityZone": "a"}},
        route_tables=tables, nat_gateways={"nat-1": {"NatGatewayId": "nat-1", "State": nat_state, "SubnetId": PUBLIC}},
        internet_gateways={"igw-1": {}}, network_interfaces={}, security_groups={"sg-node": group},
        network_acls=[{"NetworkAclId": "acl-1", "IsDefault": True, "Associations": [], "Entries": [
            *entries, *[{"RuleNumber": 32767, "Egress": e, "Protocol": "-1", "RuleAction": "deny",
                         "CidrBlock": "0.0.0.0/0"} for e in (True, False)]]}],
        node_groups=[{"subnets": [PRIVATE], "securityGroups": ["sg-node"]}])


DEFAULT = [{"DestinationCidrBlock": "10.10.0.0/16", "GatewayId": "local"},
           {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]


def codes(found) -> list[str]:
    return sorted(finding.code for finding in found)


def test_a_healthy_path_reports_nothing():
    assert egress.analyze(inventory(DEFAULT)) == []


def test_each_broken_hop_is_named_with_its_fix():
    (missing,) = egress.analyze(inventory(DEFAULT[:1]))
    assert missing.code == "AWS001" and missing.actions[0].command() == (
        "aws ec2 create-route --route-table-id rtb-private --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-1")
    appliance = inventory([*DEFAULT, {"DestinationCidrBlock": "0.0.0.0/1", "NetworkInterfaceId": "eni-1"}])
    appliance.network_interfaces["eni-1"] = {}
    (specific,) = egress.analyze(appliance)
    assert specific.code == "AWS003" and "0.0.0.0/1 beats 0.0.0.0/0 -> nat-1" in specific.evidence[0]
    black = inventory(DEFAULT)
    black.nat_gateways["nat-1"]["State"] = "deleted"
    assert codes(egress.analyze(black)) == ["AWS002"]
    assert codes(egress.analyze(inventory(DEFAULT, public_routes=[{"DestinationCidrBlock": "10.10.0.0/16",
                                                                   "GatewayId": "local"}]))) == ["AWS005"]
    assert codes(egress.analyze(inventory(DEFAULT, egress_rules=[]))) == ["AWS006"]


def test_network_acls_are_read_rule_by_rule_and_port_range_by_port_range():
    deny_return = [{"RuleNumber": 60, "Egress": False, "Protocol": "6", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0",
                    "PortRange": {"From": 1024, "To": 65535}}, *ALLOW_ALL]
    found = egress.analyze(inventory(DEFAULT, entries=deny_return))
    assert set(codes(found)) == {"AWS008"}
    assert found[0].actions[0].command() == "aws ec2 delete-network-acl-entry --network-acl-id acl-1 --rule-number 60 " \
                                            "--no-egress"
    only_https = [{"RuleNumber": 100, "Egress": False, "Protocol": "6", "RuleAction": "allow",
                   "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}}]
    verdicts = network.nacl_verdicts({"Entries": only_https}, False, network.INTERNET, (400, 500))
    assert [v.text() for v in verdicts] == ["ports 400-442 denied by the default rule *",
                                            "port 443 allowed by rule 100", "ports 444-500 denied by the default rule *"]


ROLE = Principal(arn="arn:aws:iam::123456789012:role/tbyte-local-github-plan", account="123456789012")
DENY_BUT_DEPLOY = {"Statement": [{"Sid": "OnlyDeploy", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                  "Resource": "arn:aws:s3:::b/*", "Condition": {"ArnNotEquals": {
                                      "aws:PrincipalArn": "arn:aws:iam::123456789012:role/tbyte-local-github-deploy"}}}]}


def test_policy_statements_and_the_conditions_the_doctor_can_decide():
    assert policies.matching(DENY_BUT_DEPLOY, "Deny", "s3:GetObject", "arn:aws:s3:::b/key", ROLE)
    deploy = Principal(arn="arn:aws:iam::123456789012:role/tbyte-local-github-deploy", account="123456789012")
    assert not policies.matching(DENY_BUT_DEPLOY, "Deny", "s3:GetObject", "arn:aws:s3:::b/key", deploy)
    tls_only = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    assert not policies.matching(tls_only, "Deny", "s3:GetObject", "arn:aws:s3:::b/key", ROLE)
    unknown = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                              "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]}
    assert not policies.matching(unknown, "Deny", "s3:GetObject", "arn:aws:s3:::b/key", ROLE), "undecidable: spared"
    logs = Principal(service="logs.eu-central-1.amazonaws.com")
    key = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "logs.eu-central-1.amazonaws.com"},
                          "Action": ["kms:GenerateDataKey*"], "Resource": "*", "Condition": {"ArnLike": {
                              "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:*:*:log-group:/aws/vpc-flow-logs/*"}}}]}
    context = {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:1:log-group:/aws/vpc-flow-logs/x"}
    assert policies.allows(key, "kms:GenerateDataKey", "*", logs, context)
    assert not policies.allows(key, "kms:GenerateDataKey", "*", logs, {**context, "kms:EncryptionContext:aws:logs:arn":
                                                                       "arn:aws:logs:eu-central-1:1:log-group:/other"})
