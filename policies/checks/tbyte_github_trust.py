"""CKV_TBYTE_5: a role GitHub Actions can assume trusts one kind of subject, exactly, and is named after it.

Pull requests (`repo:<repo>:pull_request`) may assume only the `*-github-pr` role, branches
(`repo:<repo>:ref:refs/heads/<branch>`) only the `*-github-plan` or `*-github-drift` role, GitHub environments
(`repo:<repo>:environment:<env>`, reviewed) only the `*-github-deploy` role; no wildcard, no missing `sub`, no role
that trusts two kinds. CKV_TBYTE_6 holds the pull-request, plan and drift roles to read-only: checkov sees one
resource at a time, so the two checks meet at the role's name. Decided on plans (the trust as planned).
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_iam_values import document, github_subjects, trust_problems
from tbyte_policy_values import scalar


class GitHubTrustTiers(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure a role assumable by GitHub Actions trusts one kind of subject and is named after it",
            id="CKV_TBYTE_5",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role"],
            guideline="docs/policy.md#ckv_tbyte_5-github-trust",
        )

    def scan_resource_conf(self, conf):
        subjects = github_subjects(document(conf.get("assume_role_policy")))
        if subjects is None:
            return CheckResult.UNKNOWN
        problems = trust_problems(str(scalar(conf.get("name")) or ""), subjects)
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = GitHubTrustTiers()
