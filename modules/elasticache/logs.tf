# The slow log and the engine log, in log groups encrypted with the module key that expire after
# log_retention_days. The replication group delivers each log to its group (replication_group.tf,
# `log_delivery_configuration`); its provider-3 variant cannot (the block arrived in 4.8.0), so on 3.x (`local`)
# the groups exist and stay empty. See README.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.log_types)

  name              = "${local.log_group_base}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.key_arn

  tags = var.tags
}
