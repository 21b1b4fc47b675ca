import json

from tests.modules.conftest import case_file


def _after(plan, address):
    return plan.resource_changes[address]["change"]["after"]


def test_every_alarm_notifies_the_topic_when_it_fires_and_when_it_recovers(planner):
    plan = planner.plan("observability", case_file("observability", "everything", "tfvars"))
    (alarm,) = [r for r in plan.configuration["root_module"]["resources"]
                if r["address"] == "aws_cloudwatch_metric_alarm.this"]
    for actions in ("alarm_actions", "ok_actions"):
        assert alarm["expressions"][actions]["references"][0] == "aws_sns_topic.alarms.arn"
    alarms = [c for address, c in plan.resource_changes.items() if address.startswith("aws_cloudwatch_metric_alarm")]
    assert len(alarms) == 22
    for change in alarms:
        assert change["change"]["after_unknown"]["alarm_actions"] and change["change"]["after_unknown"]["ok_actions"]
        assert change["change"]["after"]["actions_enabled"] is True


def test_the_dashboard_shows_every_alarm_and_a_graph_per_metric_with_its_threshold(planner):
    plan = planner.plan("observability", case_file("observability", "everything", "tfvars"))
    widgets = json.loads(_after(plan, "aws_cloudwatch_dashboard.this")["dashboard_body"])["widgets"]
    alarm_widget, *graphs = widgets
    names = sorted(alarm["alarm_name"] for address, alarm in
                   ((a, _after(plan, a)) for a in plan.resource_changes if a.startswith("aws_cloudwatch_metric_alarm")))
    assert alarm_widget["type"] == "alarm"
    assert [arn.rsplit(":", 1)[1] for arn in alarm_widget["properties"]["alarms"]] == names
    assert all(arn.startswith("arn:aws:cloudwatch:eu-central-1:123456789012:alarm:")
               for arn in alarm_widget["properties"]["alarms"])
    titles = {graph["properties"]["title"]: graph for graph in graphs}
    assert len(graphs) == 18  # 6 RDS, 4 ElastiCache, 4 ALB and 4 Container Insights metrics
    cpu = titles["EngineCPUUtilization (AWS/ElastiCache)"]["properties"]
    assert cpu["metrics"] == [
        ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", "tbyte-prod-001", {"stat": "Average"}],
        ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", "tbyte-prod-002", {"stat": "Average"}],
    ]
    assert cpu["annotations"]["horizontal"] == [{"label": "alarm threshold", "value": 90}]
    latency = titles["TargetResponseTime (AWS/ApplicationELB)"]["properties"]
    assert latency["metrics"][0][-1] == {"stat": "p99"}
    assert latency["annotations"]["horizontal"][0]["value"] == 0.5
    # Widgets do not overlap: two per row below the alarm widget.
    positions = {(graph["x"], graph["y"]) for graph in graphs}
    assert len(positions) == len(graphs)


def test_without_monitored_resources_the_dashboard_says_so(planner):
    plan = planner.plan("observability", case_file("observability", "nothing_monitored", "tfvars"))
    (widget,) = json.loads(_after(plan, "aws_cloudwatch_dashboard.this")["dashboard_body"])["widgets"]
    assert widget["type"] == "text" and "No monitored resource" in widget["properties"]["markdown"]


def test_only_cloudwatch_alarms_and_backup_notifications_of_this_account_may_encrypt_for_the_topic(planner):
    plan = planner.plan("observability", case_file("observability", "everything", "tfvars"))
    policy = json.loads(_after(plan, "module.key.aws_kms_key.this")["policy"])
    statements = {statement["Sid"]: statement for statement in policy["Statement"]}
    publish = statements["AwsServicesPublish"]
    assert sorted(publish["Principal"]["Service"]) == ["backup.amazonaws.com", "cloudwatch.amazonaws.com"]
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}} or \
        publish["Condition"] == {"StringEquals": {"aws:SourceAccount": ["123456789012"]}}
    assert statements["UseThroughSns"]["Condition"]["StringEquals"]["kms:ViaService"] in (
        "sns.eu-central-1.amazonaws.com", ["sns.eu-central-1.amazonaws.com"])
