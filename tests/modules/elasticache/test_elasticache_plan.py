
from tests.modules.conftest import assert_never_planned, case_file


def test_auth_token_is_never_planned_in_plain_text(planner):
    plan = planner.plan("elasticache", case_file("elasticache", "dev_single_node", "tfvars"))
    assert_never_planned(plan, {
        "aws_secretsmanager_secret_version.auth_token": ["secret_string"],
        "aws_elasticache_replication_group.this": ["auth_token"],
        "aws_secretsmanager_secret_version.connection": ["secret_string"],
    })


def test_the_application_may_read_this_secret_and_nothing_else(planner):
    plan = planner.plan("elasticache", case_file("elasticache", "dev_single_node", "tfvars"))
    policy = plan.resource_changes['aws_iam_role_policy.read_secret["app"]']["change"]["after"]
    assert policy["role"] == "tbyte-dev-app"
    # The document names the secret and the key, unknown until they exist, so its planned value is unknown: check
    # what the configuration puts in it (read-only actions, exactly this secret, this key through Secrets Manager).
    (document,) = [resource for resource in plan.configuration["root_module"]["resources"]
                   if resource["address"] == "data.aws_iam_policy_document.read_secret"]
    read, decrypt = document["expressions"]["statement"]
    assert read["actions"]["constant_value"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    assert read["resources"]["references"] == ["aws_secretsmanager_secret.this.arn", "aws_secretsmanager_secret.this"]
    assert decrypt["actions"]["constant_value"] == ["kms:Decrypt"]
    assert decrypt["resources"]["references"] == ["module.key.key_arn", "module.key"]
    conditions = {c["variable"]["constant_value"]: c for c in decrypt["condition"]}
    assert conditions["kms:ViaService"]["test"]["constant_value"] == "StringEquals"
    assert conditions["kms:EncryptionContext:SecretARN"]["values"]["references"][0] == "aws_secretsmanager_secret.this.arn"
