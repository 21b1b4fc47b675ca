"""CKV_TBYTE_10: no Role or ClusterRole grants a wildcard verb, resource or API group, in any of its rules.

checkov's CKV_K8S_49 ("Minimize wildcard use in Roles and ClusterRoles") reads only a role's first rule, so a
wildcard in a later rule passes it. The platform allows wildcards to one ClusterRole only, tbyte:platform-admin
(platform/tenants.yaml), which carries the suppression with its reason. Framework kubernetes.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.kubernetes.checks.resource.base_spec_check import BaseK8Check
from tbyte_policy_values import rbac_wildcards


class NoRbacWildcards(BaseK8Check):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no rule of a Role or ClusterRole grants wildcard verbs, resources or API groups",
            id="CKV_TBYTE_10",
            categories=[CheckCategories.KUBERNETES],
            supported_entities=["Role", "ClusterRole"],
            guideline="docs/policy.md#ckv_tbyte_10-no-rbac-wildcards",
        )

    def scan_spec_conf(self, conf):
        found = rbac_wildcards(conf.get("rules"))
        if found:
            self.details.extend(f"{where} has a wildcard" for where in found)
            return CheckResult.FAILED
        return CheckResult.PASSED


check = NoRbacWildcards()
