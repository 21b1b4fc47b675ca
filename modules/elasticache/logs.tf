# The slow log and the engine log, in log groups encrypted with the module key that expire after
# log_retention_days. Provider 3.x cannot configure their delivery (the replication group's
# `log_delivery_configuration` arrived in 4.8.0); the groups are named and encrypted as the delivery expects, so
# the upgrade adds the two blocks shown in the README and nothing else.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.log_types)

  name              = "${local.log_group_base}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.key_arn

  tags = var.tags
}
