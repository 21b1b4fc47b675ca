# WAF logs: every request the ACL evaluates, with the credentials-bearing headers redacted, into a log group
# (WAF requires the aws-waf-logs- prefix) encrypted with the module's key and expiring after log_retention_days.

module "key" {
  source = "../kms-key"

  alias                        = "${var.name}-waf-logs"
  description                  = "${var.name} WAF logs"
  cloudwatch_logs_arn_patterns = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"]
  tags                         = var.tags
}

locals {
  log_group_name = "aws-waf-logs-${var.name}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.key_arn

  tags = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn = aws_wafv2_web_acl.this.arn
  # Provider 3.x appends ":*" to a log group ARN, which WAF refuses; 4.x+ does not (trimsuffix is then a no-op).
  log_destination_configs = [trimsuffix(aws_cloudwatch_log_group.this.arn, ":*")]

  dynamic "redacted_fields" {
    for_each = var.redacted_headers
    content {
      single_header {
        name = redacted_fields.value
      }
    }
  }
}
