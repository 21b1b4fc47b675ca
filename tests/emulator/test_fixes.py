"""Each correction of the emulator restores what AWS does (see tbyte/emulator/fixes/)."""

import pytest

from tbyte.emulator.manager import Emulator, free_port


@pytest.fixture(scope="module")
def emulator():
    running = Emulator(port=free_port())
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


def test_launch_template_tags_stay_on_the_template(emulator):
    ec2 = emulator.client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="fixes", LaunchTemplateData={"InstanceType": "t3.medium"},
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "team", "Value": "platform"}]}])
    version = ec2.describe_launch_template_versions(LaunchTemplateName="fixes")["LaunchTemplateVersions"][0]
    assert "TagSpecifications" not in version["LaunchTemplateData"]
    ec2.delete_launch_template(LaunchTemplateName="fixes")


def test_node_groups_have_no_invented_remote_access_and_their_updates_can_be_followed(emulator, cluster):
    eks = emulator.client("eks")
    eks.create_nodegroup(clusterName="fixes", nodegroupName="general", nodeRole="arn:aws:iam::123456789012:role/n",
                         subnets=cluster["subnets"], scalingConfig={"minSize": 1, "desiredSize": 1, "maxSize": 2})
    nodegroup = eks.describe_nodegroup(clusterName="fixes", nodegroupName="general")["nodegroup"]
    assert "remoteAccess" not in nodegroup
    assert "remoteAccessSecurityGroup" not in nodegroup.get("resources", {})
    for update in (eks.update_nodegroup_config(clusterName="fixes", nodegroupName="general",
                                               scalingConfig={"minSize": 1, "desiredSize": 1, "maxSize": 3}),
                   eks.update_nodegroup_version(clusterName="fixes", nodegroupName="general", version="1.31")):
        followed = eks.describe_update(name="fixes", nodegroupName="general", updateId=update["update"]["id"])
        assert followed["update"]["status"] == "Successful"
    eks.delete_nodegroup(clusterName="fixes", nodegroupName="general")


@pytest.fixture
def cache_network(emulator, request):
    name = request.node.name.replace("_", "-")[-40:]
    ec2 = emulator.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.78.{i}.0/24", AvailabilityZone=f"eu-central-1{az}")
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    group = ec2.create_security_group(GroupName=name, Description="fixes", VpcId=vpc)["GroupId"]
    emulator.client("elasticache").create_cache_subnet_group(
        CacheSubnetGroupName=name, CacheSubnetGroupDescription="fixes", SubnetIds=subnets)
    return {"vpc": vpc, "subnets": subnets, "security_group": group, "subnet_group": name}


def test_elasticache_parameter_groups_exist_and_report_user_parameters(emulator):
    elasticache = emulator.client("elasticache")
    elasticache.create_cache_parameter_group(CacheParameterGroupName="fixes", CacheParameterGroupFamily="redis6.x",
                                             Description="fixes")
    elasticache.modify_cache_parameter_group(CacheParameterGroupName="fixes", ParameterNameValues=[
        {"ParameterName": "slowlog-log-slower-than", "ParameterValue": "10000"}])
    (group,) = elasticache.describe_cache_parameter_groups(CacheParameterGroupName="fixes")["CacheParameterGroups"]
    assert group["CacheParameterGroupFamily"] == "redis6.x"
    user = elasticache.describe_cache_parameters(CacheParameterGroupName="fixes", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"], p["Source"]) for p in user] == [
        ("slowlog-log-slower-than", "10000", "user")]
    assert elasticache.describe_cache_parameters(CacheParameterGroupName="fixes", Source="system")["Parameters"] == []
    elasticache.reset_cache_parameter_group(CacheParameterGroupName="fixes", ParameterNameValues=[
        {"ParameterName": "slowlog-log-slower-than"}])
    assert elasticache.describe_cache_parameters(CacheParameterGroupName="fixes", Source="user")["Parameters"] == []
    elasticache.delete_cache_parameter_group(CacheParameterGroupName="fixes")
    with pytest.raises(elasticache.exceptions.CacheParameterGroupNotFoundFault):
        elasticache.describe_cache_parameter_groups(CacheParameterGroupName="fixes")


def test_elasticache_replication_groups_have_their_nodes_endpoints_and_settings(emulator, cache_network):
    elasticache = emulator.client("elasticache")
    elasticache.create_cache_parameter_group(CacheParameterGroupName="fixes-rg", CacheParameterGroupFamily="redis6.x",
                                             Description="fixes")
    elasticache.create_replication_group(
        ReplicationGroupId="fixes", ReplicationGroupDescription="fixes", Engine="redis", EngineVersion="6.x",
        CacheNodeType="cache.t4g.micro", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True,
        CacheParameterGroupName="fixes-rg", CacheSubnetGroupName=cache_network["subnet_group"],
        SecurityGroupIds=[cache_network["security_group"]], AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True, AuthToken="a-token-of-at-least-16-chars", SnapshotRetentionLimit=1,
        PreferredMaintenanceWindow="SUN:05:00-SUN:06:00", Tags=[{"Key": "team", "Value": "platform"}])
    (group,) = elasticache.describe_replication_groups(ReplicationGroupId="fixes")["ReplicationGroups"]
    assert sorted(group["MemberClusters"]) == ["fixes-001", "fixes-002"]
    assert group["NodeGroups"][0]["ReaderEndpoint"]["Address"].startswith("replica.")
    member = elasticache.describe_cache_clusters(CacheClusterId="fixes-001")["CacheClusters"][0]
    assert member["ReplicationGroupId"] == "fixes" and member["EngineVersion"] == "6.2.6"
    assert member["CacheParameterGroup"]["CacheParameterGroupName"] == "fixes-rg"
    assert member["SecurityGroups"] == [{"SecurityGroupId": cache_network["security_group"], "Status": "active"}]
    assert member["AtRestEncryptionEnabled"] and member["TransitEncryptionEnabled"] and member["AuthTokenEnabled"]
    assert member["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
    replica = elasticache.describe_cache_clusters(CacheClusterId="fixes-002")["CacheClusters"][0]
    assert {member["PreferredAvailabilityZone"], replica["PreferredAvailabilityZone"]} == {"eu-central-1a",
                                                                                           "eu-central-1b"}
    # The tags of the member are the group's, also through an ARN without the account (provider 3.x, see the fix).
    tags = elasticache.list_tags_for_resource(ResourceName="arn:aws:elasticache:eu-central-1::cluster:fixes-001")
    assert tags["TagList"] == [{"Key": "team", "Value": "platform"}]
    elasticache.modify_replication_group(ReplicationGroupId="fixes", SnapshotWindow="01:00-02:00",
                                         PreferredMaintenanceWindow="mon:05:00-mon:06:00", ApplyImmediately=True)
    member = elasticache.describe_cache_clusters(CacheClusterId="fixes-002")["CacheClusters"][0]
    assert (member["SnapshotWindow"], member["PreferredMaintenanceWindow"]) == ("01:00-02:00", "mon:05:00-mon:06:00")
    with pytest.raises(elasticache.exceptions.InvalidCacheParameterGroupStateFault):
        elasticache.delete_cache_parameter_group(CacheParameterGroupName="fixes-rg")


def test_elasticache_groups_are_deleted_with_their_clusters(emulator, cache_network):
    elasticache = emulator.client("elasticache")
    elasticache.create_replication_group(
        ReplicationGroupId="fixes-gone", ReplicationGroupDescription="fixes", CacheNodeType="cache.t4g.micro",
        NumCacheClusters=1, CacheSubnetGroupName=cache_network["subnet_group"])
    with pytest.raises(elasticache.exceptions.CacheSubnetGroupInUse):
        elasticache.delete_cache_subnet_group(CacheSubnetGroupName=cache_network["subnet_group"])
    elasticache.delete_replication_group(ReplicationGroupId="fixes-gone", FinalSnapshotIdentifier="fixes-gone-final")
    with pytest.raises(elasticache.exceptions.ReplicationGroupNotFoundFault):
        elasticache.describe_replication_groups(ReplicationGroupId="fixes-gone")
    with pytest.raises(elasticache.exceptions.CacheClusterNotFoundFault):
        elasticache.describe_cache_clusters(CacheClusterId="fixes-gone-001")
    assert elasticache.describe_snapshots(SnapshotName="fixes-gone-final")["Snapshots"]
    name = cache_network["subnet_group"]
    elasticache.modify_cache_subnet_group(CacheSubnetGroupName=name, SubnetIds=cache_network["subnets"][:1])
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName=name)
    with pytest.raises(elasticache.exceptions.CacheSubnetGroupNotFoundFault):
        elasticache.describe_cache_subnet_groups(CacheSubnetGroupName=name)


def _backup_plan(backup, name):
    return backup.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": "Default", "ScheduleExpression": "cron(0 3 * * ? *)"}]})


def test_backup_selections_exist_and_hold_their_plan(emulator):
    backup = emulator.client("backup")
    plan_id = _backup_plan(backup, "fixes-selection")["BackupPlanId"]
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection={
        "SelectionName": "databases", "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "Resources": ["arn:aws:rds:eu-central-1:123456789012:db:fixes"]})["SelectionId"]
    selection = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)["BackupSelection"]
    assert selection["Resources"] == ["arn:aws:rds:eu-central-1:123456789012:db:fixes"]
    assert [s["SelectionId"] for s in backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]] \
        == [selection_id]
    with pytest.raises(backup.exceptions.InvalidRequestException):
        backup.delete_backup_plan(BackupPlanId=plan_id)
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    backup.delete_backup_plan(BackupPlanId=plan_id)
    # The name of the deleted plan can be used again.
    assert _backup_plan(backup, "fixes-selection")["BackupPlanId"] != plan_id


def test_backup_vaults_have_access_policies_and_notifications(emulator):
    backup = emulator.client("backup")
    backup.create_backup_vault(BackupVaultName="fixes")
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_vault_access_policy(BackupVaultName="fixes")
    policy = '{"Version":"2012-10-17","Statement":[]}'
    backup.put_backup_vault_access_policy(BackupVaultName="fixes", Policy=policy)
    assert backup.get_backup_vault_access_policy(BackupVaultName="fixes")["Policy"] == policy
    topic = "arn:aws:sns:eu-central-1:123456789012:fixes"
    backup.put_backup_vault_notifications(BackupVaultName="fixes", SNSTopicArn=topic,
                                          BackupVaultEvents=["BACKUP_JOB_FAILED"])
    notifications = backup.get_backup_vault_notifications(BackupVaultName="fixes")
    assert (notifications["SNSTopicArn"], notifications["BackupVaultEvents"]) == (topic, ["BACKUP_JOB_FAILED"])
    backup.delete_backup_vault_notifications(BackupVaultName="fixes")
    backup.delete_backup_vault_access_policy(BackupVaultName="fixes")
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_vault_notifications(BackupVaultName="fixes")
    backup.delete_backup_vault(BackupVaultName="fixes")


def test_a_flow_log_to_a_log_group_arn_fails_only_while_its_group_is_missing(emulator):
    ec2, logs = emulator.client("ec2"), emulator.client("logs")
    vpc = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    logs.create_log_group(logGroupName="/fixes/flow-logs")
    flow = ec2.create_flow_logs(
        ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="cloud-watch-logs",
        LogDestination="arn:aws:logs:eu-central-1:123456789012:log-group:/fixes/flow-logs",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow-logs")["FlowLogIds"][0]

    def status():
        return ec2.describe_flow_logs(FlowLogIds=[flow])["FlowLogs"][0]["DeliverLogsStatus"]

    assert status() == "SUCCESS"
    logs.delete_log_group(logGroupName="/fixes/flow-logs")
    assert status() == "FAILED"


def test_cloudwatch_answers_percentile_statistics(emulator):
    from datetime import UTC, datetime, timedelta

    cloudwatch = emulator.client("cloudwatch")
    moment = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=2)
    values = [0.1] * 94 + [2.0] * 6
    cloudwatch.put_metric_data(Namespace="Fixes", MetricData=[
        {"MetricName": "Latency", "Value": value, "Timestamp": moment} for value in values])
    answer = cloudwatch.get_metric_data(StartTime=moment - timedelta(minutes=1), EndTime=moment + timedelta(minutes=1),
                                        MetricDataQueries=[{"Id": f"p{n}", "MetricStat": {
                                            "Metric": {"Namespace": "Fixes", "MetricName": "Latency"},
                                            "Period": 60, "Stat": f"p{n}"}} for n in (50, 95, 99)])
    assert {result["Id"]: result["Values"] for result in answer["MetricDataResults"]} == {
        "p50": [0.1], "p95": [2.0], "p99": [2.0]}
