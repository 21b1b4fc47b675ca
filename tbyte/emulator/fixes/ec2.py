"""EC2: where moto differs from AWS as it is today."""

from moto.ec2.models.flow_logs import FlowLogsBackend
from moto.ec2.models.launch_templates import LaunchTemplateBackend
from moto.ec2.responses.account_attributes import AccountAttributes


def vpc_only_platform() -> None:
    """EC2-Classic was retired in 2023: accounts report only `VPC` as a supported platform.

    moto still reports `EC2` too, which makes the AWS provider treat an EIP without the removed `vpc`
    argument as EC2-Classic and refuse its tags.
    """
    original = AccountAttributes.describe_account_attributes

    def describe_account_attributes(self):
        result = original(self)
        for attribute in result.result["AccountAttributes"]:
            if attribute["AttributeName"] == "supported-platforms":
                attribute["AttributeValues"] = [{"AttributeValue": "VPC"}]
        return result

    AccountAttributes.describe_account_attributes = describe_account_attributes


def launch_template_tags_stay_on_the_template() -> None:
    """CreateLaunchTemplate's top-level TagSpecification (ResourceType launch-template) tags the template only.

    moto also copies it into LaunchTemplateData.TagSpecifications, where AWS never puts it: every tagged launch
    template then showed a perpetual tag_specifications diff.
    """
    original = LaunchTemplateBackend.create_launch_template

    def create_launch_template(self, name, description, template_data, tag_spec):
        specs = template_data.get("TagSpecifications")
        if specs is not None:
            kept = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
            if kept:
                template_data["TagSpecifications"] = kept
            else:
                del template_data["TagSpecifications"]
        return original(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template


def flow_log_delivery_follows_its_log_group() -> None:
    """A flow log to CloudWatch Logs reports its delivery as FAILED only while its log group does not exist.

    moto decides once, at creation, and only from LogGroupName: a flow log given its group as LogDestination (an
    ARN, as the AWS provider does) always reported FAILED, and a group deleted later never made it fail.
    """
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.models import logs_backends

    original = FlowLogsBackend.describe_flow_logs

    def describe_flow_logs(self, flow_log_ids=None, filters=None):
        found = original(self, flow_log_ids, filters)
        logs = logs_backends[self.account_id][self.region_name]
        for flow in found:
            if flow.log_destination_type != "cloud-watch-logs":
                continue
            name = flow.log_group_name or (flow.log_destination or "").split(":log-group:")[-1].removesuffix(":*")
            try:
                logs.list_tags_log_group(name)
                flow.deliver_logs_status, flow.deliver_logs_error_message = "SUCCESS", None
            except ResourceNotFoundException:
                flow.deliver_logs_status, flow.deliver_logs_error_message = "FAILED", "Access error"
        return found

    FlowLogsBackend.describe_flow_logs = describe_flow_logs


def apply() -> None:
    vpc_only_platform()
    launch_template_tags_stay_on_the_template()
    flow_log_delivery_follows_its_log_group()
