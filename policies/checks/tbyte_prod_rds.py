"""CKV_TBYTE_2: in prod, an RDS instance has deletion protection and is Multi-AZ.

The environment is the planned resource's `environment` tag (tags_all, from the provider's default_tags), so
the check decides on plans (framework terraform_plan); elsewhere, and outside prod, it does not apply.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_policy_values import PROD, boolean, environment


class ProdDatabaseResilience(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an RDS instance in prod has deletion protection and Multi-AZ",
            id="CKV_TBYTE_2",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_db_instance"],
            guideline="docs/policy.md#ckv_tbyte_2-prod-rds",
        )

    def scan_resource_conf(self, conf):
        if environment(conf) != PROD:
            return CheckResult.UNKNOWN
        problems = []
        if boolean(conf.get("deletion_protection")) is not True:
            problems.append("deletion_protection is not true")
        if boolean(conf.get("multi_az")) is not True:
            problems.append("multi_az is not true")
        if problems:
            self.details.append("; ".join(problems))
            return CheckResult.FAILED
        return CheckResult.PASSED


check = ProdDatabaseResilience()
