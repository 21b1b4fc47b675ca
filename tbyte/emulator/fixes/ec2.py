"""EC2: where moto differs from AWS as it is today."""

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


def apply() -> None:
    vpc_only_platform()
    launch_template_tags_stay_on_the_template()
