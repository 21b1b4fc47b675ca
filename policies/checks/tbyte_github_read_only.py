"""CKV_TBYTE_6: the roles GitHub pull requests and branches can assume are read-only.

For the `*-github-pr`, `*-github-plan` and `*-github-drift` roles (CKV_TBYTE_5 makes sure only those names are
trusted by pull requests and branches): every inline policy allows only reads (Get/List/Describe...; plan and
drift also kms:Decrypt for the state) and carries explicit Denies of writing state objects and lock files
(s3:PutObject, s3:DeleteObject), for a pull request also of reading them, decrypting and reading secret values;
the only managed policies attached are AWS's read-only ones (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit).
Decided on plans.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_iam_values import READ_ONLY_MANAGED, document, read_only_problems, read_only_tier
from tbyte_policy_values import scalar


class GitHubReadOnlyRoles(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure the roles GitHub pull requests and branches can assume cannot write, and pull requests "
                 "cannot read the state or secrets",
            id="CKV_TBYTE_6",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role_policy", "aws_iam_role_policy_attachment"],
            guideline="docs/policy.md#ckv_tbyte_6-read-only-ci-roles",
        )

    def scan_resource_conf(self, conf):
        role = scalar(conf.get("role"))
        tier = read_only_tier(role)
        if tier is None:
            return CheckResult.UNKNOWN
        if self.entity_type == "aws_iam_role_policy_attachment":
            policy_arn = str(scalar(conf.get("policy_arn")) or "")
            if READ_ONLY_MANAGED.match(policy_arn):
                return CheckResult.PASSED
            self.details.append(f"{role} may only have AWS read-only managed policies, not {policy_arn or 'this one'}")
            return CheckResult.FAILED
        policy = document(conf.get("policy"))
        if policy is None:
            return CheckResult.UNKNOWN
        problems = read_only_problems(policy, tier)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = GitHubReadOnlyRoles()
