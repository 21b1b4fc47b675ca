# The master password and the application's connection secret.
#
# Provider 3.x has no RDS-managed master secret (manage_master_user_password is 4.x+) and no random provider is
# available, so the password is generated once, at create time, from Terraform's built-in uuid() (crypto/rand; two
# version-4 UUIDs without dashes: 64 hex characters, 244 random bits) directly into a first version of the secret,
# whose secret_string is a sensitive attribute and is kept afterwards (ignore_changes). It is therefore never in code,
# tfvars or plan output (unknown when first planned, "(sensitive value)" afterwards); it is in the state, which lives
# in the encrypted backend. (terraform_data is not used: its `output` would hold the password unmarked.)
#
# Once the instance exists, a second version holds the whole connection in the format of the AWS RDS PostgreSQL
# rotation functions and becomes AWSCURRENT, which is what the application reads; the first version stays readable
# as AWSPREVIOUS. The instance reads the password from the first version, so there is no dependency cycle.

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Rotation needs a rotation Lambda; the upgrade path is the RDS-managed secret (manage_master_user_password, aws >= 4.x), which rotates. See README.
  name                    = var.secret_name
  description             = "Connection of the ${var.identifier} PostgreSQL database (master user) for the application"
  kms_key_id              = module.key.key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "master_password" {
  secret_id     = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({ password = replace("${uuid()}${uuid()}", "-", "") })

  lifecycle {
    # Generated once; uuid() is new at every plan.
    ignore_changes = [secret_string]
  }
}

locals {
  master_password = jsondecode(aws_secretsmanager_secret_version.master_password.secret_string)["password"]
}

resource "aws_secretsmanager_secret_version" "connection" {
  secret_id = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({
    engine               = local.engine
    host                 = aws_db_instance.this.address
    port                 = aws_db_instance.this.port
    dbname               = var.database_name
    username             = aws_db_instance.this.username
    password             = local.master_password
    dbInstanceIdentifier = aws_db_instance.this.identifier
  })
}
