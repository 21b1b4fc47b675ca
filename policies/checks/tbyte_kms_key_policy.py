"""CKV_TBYTE_9: a key policy does not let the whole account use the key.

A statement of an aws_kms_key policy whose principal is an account's root (or its bare id, or everyone) may
administer the key, but may allow use (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, CreateGrant, Sign...) only
with a `kms:ViaService` or `kms:GrantIsForAWSResource` condition: `kms:*` for the root hands the key to every
principal that any IAM policy of the account allows. Decided on plans.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_iam_values import document, key_policy_problems


class KmsKeyPolicyNamesItsUsers(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a KMS key policy lets the account root administer the key but not use it unconditionally",
            id="CKV_TBYTE_9",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_kms_key"],
            guideline="docs/policy.md#ckv_tbyte_9-kms-key-policies",
        )

    def scan_resource_conf(self, conf):
        policy = document(conf.get("policy"))
        if policy is None:
            return CheckResult.UNKNOWN
        problems = key_policy_problems(policy)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = KmsKeyPolicyNamesItsUsers()
