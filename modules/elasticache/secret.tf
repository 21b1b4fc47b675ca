# The AUTH token and the application's connection secret, generated as modules/rds generates its master password.
#
# Provider 3.x has no random provider offline and no ElastiCache-managed secret, so the token is generated once, at
# create time, from Terraform's built-in uuid() (crypto/rand; two version-4 UUIDs without dashes: 64 hex characters,
# 244 random bits, within AUTH's 16-128 printable characters) straight into a first version of the secret, whose
# secret_string is a sensitive attribute and is kept afterwards (ignore_changes). It is therefore never in code,
# tfvars or plan output (unknown when first planned, "(sensitive value)" afterwards); it is in the state, which lives
# in the encrypted backend.
#
# Once the replication group exists, a second version holds the whole connection (endpoints, port, TLS, token) and
# becomes AWSCURRENT, which is what the application reads; the first version stays readable as AWSPREVIOUS. The
# replication group reads the token from the first version, so there is no dependency cycle.

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Rotating an AUTH token needs a rotation Lambda driving ModifyReplicationGroup (ROTATE then SET); not part of this module, see README.
  name                    = var.secret_name
  description             = "Connection of the ${var.name} Redis replication group (AUTH token) for the application"
  kms_key_id              = module.key.key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "auth_token" {
  secret_id     = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({ auth_token = replace("${uuid()}${uuid()}", "-", "") })

  lifecycle {
    # Generated once; uuid() is new at every plan.
    ignore_changes = [secret_string]
  }
}

locals {
  auth_token = jsondecode(aws_secretsmanager_secret_version.auth_token.secret_string)["auth_token"]
}

resource "aws_secretsmanager_secret_version" "connection" {
  secret_id = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({
    engine             = local.engine
    host               = aws_elasticache_replication_group.this.primary_endpoint_address
    reader_host        = aws_elasticache_replication_group.this.reader_endpoint_address
    port               = aws_elasticache_replication_group.this.port
    tls                = true
    auth_token         = local.auth_token
    replicationGroupId = aws_elasticache_replication_group.this.id
  })
}
