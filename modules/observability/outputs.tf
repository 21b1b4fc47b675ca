output "alarm_topic_arn" {
  description = "ARN of the alarm topic (KMS-encrypted); other stacks may send their notifications to it."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_topic_kms_key_arn" {
  description = "ARN of the KMS key of the alarm topic (publishers other than CloudWatch alarms need its use through SNS)."
  value       = module.key.key_arn
}

output "alarm_names" {
  description = "Names of every alarm, by key (for example `rds-cpu-utilization`)."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.alarm_name }
}

output "dashboard_name" {
  description = "Name of the environment's CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
