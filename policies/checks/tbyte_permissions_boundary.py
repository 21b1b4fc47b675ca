"""CKV_TBYTE_7: whatever creates a role or user or changes its permissions requires a permissions boundary.

An identity policy that allows iam:CreateRole, PutRolePolicy, DeleteRolePolicy, AttachRolePolicy,
DetachRolePolicy, PutRolePermissionsBoundary (or their user equivalents) must condition them on
`iam:PermissionsBoundary`, and must never allow DeleteRolePermissionsBoundary / DeleteUserPermissionsBoundary:
otherwise whoever holds it can create a role with any rights and assume it. (UpdateAssumeRolePolicy, CreatePolicy
and CreatePolicyVersion carry no such condition key in AWS; docs/policy.md says how the platform bounds them.)
Decided on plans.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_iam_values import boundary_problems, document


class PermissionsBoundaryRequired(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure IAM permission changes are allowed only with a permissions boundary condition",
            id="CKV_TBYTE_7",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                                 "aws_iam_group_policy"],
            guideline="docs/policy.md#ckv_tbyte_7-permissions-boundary",
        )

    def scan_resource_conf(self, conf):
        policy = document(conf.get("policy"))
        if policy is None:
            return CheckResult.UNKNOWN
        problems = boundary_problems(policy)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = PermissionsBoundaryRequired()
