import json

from tests.modules.conftest import SECOND_REGION as COPY_REGION
from tests.modules.conftest import case_file


def _configuration(plan, address):
    (resource,) = [r for r in plan.configuration["root_module"]["resources"] if r["address"] == address]
    return resource


def test_prod_copies_every_recovery_point_to_the_vault_of_the_second_region(planner):
    plan = planner.plan("backup", case_file("backup", "prod_cross_region", "tfvars"))
    (rule,) = plan.resource_changes["aws_backup_plan.this"]["change"]["after"]["rule"]
    (copy,) = rule["copy_action"]
    assert copy["lifecycle"] == [{"cold_storage_after": None, "delete_after": 90}]
    # The destination is the copy vault (unknown until it exists), the one vault created through the copy region's
    # provider, with a key of that region.
    (unknown,) = plan.resource_changes["aws_backup_plan.this"]["change"]["after_unknown"]["rule"]
    assert unknown["copy_action"] == [{"destination_vault_arn": True, "lifecycle": [{}]}]
    assert _configuration(plan, "aws_backup_vault.copy")["provider_config_key"] == "aws.copy"
    assert _configuration(plan, "aws_backup_vault.this")["provider_config_key"] == "aws"
    copy_key = plan.resource_changes["module.copy_key[0].aws_kms_key.this"]["change"]["after"]
    assert copy_key["description"].endswith(f"copies in {COPY_REGION}")
    assert plan._raw["variables"]["copy_region"]["value"] == COPY_REGION


def test_recovery_points_cannot_be_deleted_before_their_lifecycle_ends(planner):
    plan = planner.plan("backup", case_file("backup", "prod_cross_region", "tfvars"))
    for address in ("aws_backup_vault_policy.this[0]", "aws_backup_vault_policy.copy[0]"):
        (statement,) = json.loads(plan.resource_changes[address]["change"]["after"]["policy"])["Statement"]
        assert statement["Effect"] == "Deny" and statement["Principal"] == {"AWS": "*"}
        assert sorted(statement["Action"]) == ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]


def test_only_aws_backup_of_this_account_assumes_the_role(planner):
    plan = planner.plan("backup", case_file("backup", "dev_in_region", "tfvars"))
    (statement,) = json.loads(plan.resource_changes["aws_iam_role.this"]["change"]["after"]["assume_role_policy"])[
        "Statement"]
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ["123456789012"]}} or \
        statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
