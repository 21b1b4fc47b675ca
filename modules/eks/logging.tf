# The log group EKS writes the control-plane logs to, created first so that it is encrypted and expires.
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = module.logs_key.key_arn

  tags = merge(var.tags, { Name = local.log_group_name })
}
