"""CKV_TBYTE_1: every taggable resource carries the tags environment, owner and cost-center.

Runs on plans (framework terraform_plan): there `tags_all` holds the resource's own tags merged with the
provider's default_tags, which is where the platform sets these three (terragrunt/root.hcl). A module alone
cannot know the default tags, so in Terraform code (no tags_all) the check does not apply (UNKNOWN). A resource
is taggable when its planned values have tags_all.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_policy_values import REQUIRED_TAGS, missing_tags


class RequiredTags(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=f"Ensure every taggable resource carries the tags {', '.join(REQUIRED_TAGS)} (tags_all of the plan)",
            id="CKV_TBYTE_1",
            categories=[CheckCategories.CONVENTION],
            supported_resources=["aws_*"],
            guideline="docs/policy.md#ckv_tbyte_1-required-tags",
        )

    def scan_resource_conf(self, conf):
        missing = missing_tags(conf)
        if missing is None:
            return CheckResult.UNKNOWN
        if missing:
            self.details.append(f"missing tags: {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


check = RequiredTags()
