# One dashboard per environment: the state of every alarm, then one graph per alarmed metric (all nodes or
# instances of that metric on one graph) with the alarm threshold drawn on it.

locals {
  alarm_arn_prefix = "arn:${data.aws_partition.current.partition}:cloudwatch:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alarm:"

  # Alarms grouped by metric, in a stable order (namespace, then metric).
  graphs = { for key, alarm in local.alarms : "${alarm.namespace} ${alarm.metric}" => alarm... }

  graph_widgets = [for index, key in sort(keys(local.graphs)) : {
    type   = "metric"
    x      = (index % 2) * 12
    y      = 4 + floor(index / 2) * 6
    width  = 12
    height = 6
    properties = {
      title  = "${local.graphs[key][0].metric} (${local.graphs[key][0].namespace})"
      region = data.aws_region.current.name
      view   = "timeSeries"
      period = 60
      metrics = [for alarm in local.graphs[key] : concat(
        [alarm.namespace, alarm.metric],
        flatten([for dimension in sort(keys(alarm.dimensions)) : [dimension, alarm.dimensions[dimension]]]),
        [{ stat = alarm.statistic }],
      )]
      annotations = { horizontal = [{ label = "alarm threshold", value = local.graphs[key][0].threshold }] }
    }
  }]

  alarm_widget = {
    type   = "alarm"
    x      = 0
    y      = 0
    width  = 24
    height = 4
    properties = {
      title  = "Alarms of ${var.name}"
      alarms = [for key in sort(keys(local.alarms)) : "${local.alarm_arn_prefix}${var.name}-${key}"]
    }
  }

  empty_widget = {
    type       = "text"
    x          = 0
    y          = 0
    width      = 24
    height     = 2
    properties = { markdown = "No monitored resource was given to the observability module of ${var.name}." }
  }
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = (length(local.alarms) == 0 ?
    jsonencode({ widgets = [local.empty_widget] }) :
    jsonencode({ widgets = concat([local.alarm_widget], local.graph_widgets) })
  )
}
