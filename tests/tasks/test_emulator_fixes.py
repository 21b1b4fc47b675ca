"""Each correction of the emulator restores what AWS does (see tbyte/emulator_fixes/)."""

import pytest

from tbyte.emulator import Emulator


@pytest.fixture(scope="module")
def emulator():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = Emulator(port=port)
    running.start()
    yield running
    running.stop()


def test_accounts_are_vpc_only(emulator):
    attributes = emulator.client("ec2").describe_account_attributes(AttributeNames=["supported-platforms"])
    values = [a["AttributeValues"] for a in attributes["AccountAttributes"] if a["AttributeName"] == "supported-platforms"]
    assert values == [[{"AttributeValue": "VPC"}]]


@pytest.fixture
def cluster(emulator):
    ec2, eks = emulator.client("ec2"), emulator.client("eks")
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.77.{i}.0/24", AvailabilityZone=f"eu-central-1{az}")
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    eks.create_cluster(name="fixes", roleArn="arn:aws:iam::123456789012:role/eks",
                       resourcesVpcConfig={"subnetIds": subnets, "endpointPrivateAccess": True,
                                           "endpointPublicAccess": False})
    yield {"vpc": vpc, "subnets": subnets}
    eks.delete_cluster(name="fixes")


def test_eks_creates_and_reports_its_cluster_security_group(emulator, cluster):
    config = emulator.client("eks").describe_cluster(name="fixes")["cluster"]["resourcesVpcConfig"]
    assert config["vpcId"] == cluster["vpc"]
    group = emulator.client("ec2").describe_security_groups(GroupIds=[config["clusterSecurityGroupId"]])
    tags = {t["Key"]: t["Value"] for t in group["SecurityGroups"][0]["Tags"]}
    assert tags["aws:eks:cluster-name"] == "fixes"


def test_eks_config_updates_merge_and_can_be_followed(emulator, cluster):
    eks = emulator.client("eks")
    update = eks.update_cluster_config(name="fixes", resourcesVpcConfig={"endpointPublicAccess": True,
                                                                        "publicAccessCidrs": ["203.0.113.0/24"]})
    assert eks.describe_update(name="fixes", updateId=update["update"]["id"])["update"]["status"] == "Successful"
    config = eks.describe_cluster(name="fixes")["cluster"]["resourcesVpcConfig"]
    assert config["subnetIds"] == cluster["subnets"] and config["endpointPublicAccess"] is True


def test_rds_parameters_report_their_source_and_honour_the_filter(emulator):
    rds = emulator.client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="fixes", DBParameterGroupFamily="postgres16",
                                  Description="fixes")
    rds.modify_db_parameter_group(DBParameterGroupName="fixes", Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}])
    user = rds.describe_db_parameters(DBParameterGroupName="fixes", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["Source"]) for p in user] == [("rds.force_ssl", "user")]
    assert rds.describe_db_parameters(DBParameterGroupName="fixes", Source="engine-default")["Parameters"] == []


def test_rds_instances_report_performance_insights(emulator):
    rds = emulator.client("rds")
    rds.create_db_instance(DBInstanceIdentifier="fixes", Engine="postgres", DBInstanceClass="db.t3.micro",
                           MasterUsername="tbyte_admin", MasterUserPassword="not-a-real-password-0",
                           AllocatedStorage=20, EnablePerformanceInsights=True,
                           PerformanceInsightsRetentionPeriod=7)
    instance = rds.describe_db_instances(DBInstanceIdentifier="fixes")["DBInstances"][0]
    assert instance["PerformanceInsightsEnabled"] is True
    assert instance["PerformanceInsightsRetentionPeriod"] == 7
    rds.delete_db_instance(DBInstanceIdentifier="fixes", SkipFinalSnapshot=True)
