# The groups RDS exports to, created first so that they are encrypted and expire (RDS would create them plain, forever).
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.log_exports)

  name              = "${local.log_group_base}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.key_arn

  tags = var.tags
}
