"""CKV_TBYTE_3: in prod, the EKS API endpoint is not public.

The environment is the planned cluster's `environment` tag (tags_all, from the provider's default_tags), so
the check decides on plans (framework terraform_plan); elsewhere, and outside prod, it does not apply. AWS makes
the endpoint public unless told otherwise, so a missing endpoint_public_access counts as public.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_policy_values import PROD, boolean, environment, scalar


class ProdPrivateEksEndpoint(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure the EKS API endpoint of a prod cluster is not public",
            id="CKV_TBYTE_3",
            categories=[CheckCategories.KUBERNETES],
            supported_resources=["aws_eks_cluster"],
            guideline="docs/policy.md#ckv_tbyte_3-prod-eks-endpoint",
        )

    def scan_resource_conf(self, conf):
        if environment(conf) != PROD:
            return CheckResult.UNKNOWN
        vpc_config = scalar(conf.get("vpc_config")) or {}
        public = boolean(vpc_config.get("endpoint_public_access")) if isinstance(vpc_config, dict) else None
        if public is False:
            return CheckResult.PASSED
        self.details.append("vpc_config.endpoint_public_access is " + ("true" if public else "not set (AWS: public)"))
        return CheckResult.FAILED


check = ProdPrivateEksEndpoint()
