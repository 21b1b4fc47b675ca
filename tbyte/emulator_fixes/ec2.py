"""EC2: where moto differs from AWS as it is today."""

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


def apply() -> None:
    vpc_only_platform()
