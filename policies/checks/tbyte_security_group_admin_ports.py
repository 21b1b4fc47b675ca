"""CKV_TBYTE_4: no security group opens SSH (22) or PostgreSQL (5432) to the world (0.0.0.0/0 or ::/0).

Covers aws_security_group ingress blocks, aws_security_group_rule (type ingress) and
aws_vpc_security_group_ingress_rule, in Terraform code (frameworks terraform) and in plans (terraform_plan).
Protocol -1/all opens every port; a TCP range opens the ports it spans. Values checkov cannot resolve (a variable
without a default) are skipped in code and decided in the plan.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from tbyte_policy_values import open_admin_ports, scalar

ADMIN_PORTS = (22, 5432)


class NoWorldOpenAdminPorts(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure no security group opens port 22 or 5432 to 0.0.0.0/0 or ::/0",
            id="CKV_TBYTE_4",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_security_group", "aws_security_group_rule",
                                 "aws_vpc_security_group_ingress_rule"],
            guideline="docs/policy.md#ckv_tbyte_4-security-groups",
        )

    def scan_resource_conf(self, conf):
        resource_type = self.entity_type
        opened: list[str] = []
        if resource_type == "aws_security_group":
            for rule in conf.get("ingress") or []:
                if isinstance(rule, dict):
                    opened += open_admin_ports(rule, ADMIN_PORTS)
        elif resource_type == "aws_security_group_rule":
            if str(scalar(conf.get("type")) or "").lower() != "ingress":
                return CheckResult.UNKNOWN
            opened += open_admin_ports(conf, ADMIN_PORTS)
        else:
            opened += open_admin_ports(conf, ADMIN_PORTS, protocol_key="ip_protocol",
                                       cidr_keys=("cidr_ipv4", "cidr_ipv6"))
        if opened:
            self.details.append("open to the world: " + ", ".join(opened))
            return CheckResult.FAILED
        return CheckResult.PASSED


check = NoWorldOpenAdminPorts()
