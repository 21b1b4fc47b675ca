"""CKV_TBYTE_8: KMS key management is allowed only on keys chosen by a tag or an alias.

An identity policy that allows managing keys (CreateKey, PutKeyPolicy, ScheduleKeyDeletion, Enable/Disable,
rotation, tags, aliases, key material...) on every key (`*`, `…:key/*`) must narrow it with an `aws:ResourceTag/…`,
`aws:RequestTag/…`, `kms:ResourceAliases` or `kms:RequestAlias` condition. Decided on plans.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_iam_values import document, key_management_problems


class KmsKeyManagementScoped(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure KMS key management is allowed only on keys chosen by a tag or alias condition",
            id="CKV_TBYTE_8",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                                 "aws_iam_group_policy"],
            guideline="docs/policy.md#ckv_tbyte_8-kms-key-management",
        )

    def scan_resource_conf(self, conf):
        policy = document(conf.get("policy"))
        if policy is None:
            return CheckResult.UNKNOWN
        problems = key_management_problems(policy)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = KmsKeyManagementScoped()
