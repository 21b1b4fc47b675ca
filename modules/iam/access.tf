# Access groups of platform/tenants.yaml (terragrunt/tenancy.hcl derives them): one IAM role per group, mapped
# into the cluster by the eks-access stack (or aws-auth), and the alarm on every use of the break-glass role.

locals {
  cluster_arn = "arn:${local.partition}:eks:${local.region}:${local.account_id}:cluster/${local.cluster_name}"

  break_glass_roles = { for key, group in var.access_groups : key => group if group.break_glass }
}

module "access" {
  source   = "./modules/access-role"
  for_each = var.access_groups

  name                     = each.value.role_name
  description              = each.value.description
  team                     = each.value.team
  members                  = each.value.members
  require_mfa              = each.value.require_mfa
  max_session_hours        = each.value.max_session_hours
  cluster_arn              = local.cluster_arn
  permissions_boundary_arn = local.permissions_boundary_arn

  tags = var.tags
}

# Break-glass: every AssumeRole of the role (granted or refused) is counted from the account's CloudTrail log
# group, and one is enough to raise the alarm.
resource "aws_cloudwatch_log_metric_filter" "break_glass" {
  for_each = local.break_glass_roles

  name           = "${each.value.role_name}-assume-role"
  log_group_name = try(var.break_glass_alarm.cloudtrail_log_group_name, "")
  pattern        = "{ ($.eventSource = \"sts.amazonaws.com\") && ($.eventName = \"AssumeRole\") && ($.requestParameters.roleArn = \"arn:${local.partition}:iam::${local.account_id}:role/${each.value.role_name}\") }"

  metric_transformation {
    name          = "${each.value.role_name}-assume-role"
    namespace     = "TByte/Access"
    value         = "1"
    default_value = "0"
  }

  lifecycle {
    precondition {
      condition     = var.break_glass_alarm != null
      error_message = "A break-glass group needs break_glass_alarm (the CloudTrail log group and the alarm's actions): its use must alarm."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "break_glass" {
  for_each = local.break_glass_roles

  alarm_name          = "${each.value.role_name}-used"
  alarm_description   = "The break-glass role ${each.value.role_name} was assumed (or an attempt was made): cluster-admin access is in use."
  namespace           = "TByte/Access"
  metric_name         = aws_cloudwatch_log_metric_filter.break_glass[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = try(var.break_glass_alarm.alarm_actions, [])
  ok_actions          = try(var.break_glass_alarm.alarm_actions, [])

  tags = merge(var.tags, { Name = "${each.value.role_name}-used" })
}
