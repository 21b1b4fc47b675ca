output "db_instance_identifier" {
  description = "Identifier of the DB instance."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "db_instance_resource_id" {
  description = "Resource ID of the DB instance, for IAM database authentication policies (`rds-db:connect` on `arn:aws:rds-db:<region>:<account>:dbuser:<resource_id>/<user>`)."
  value       = aws_db_instance.this.resource_id
}

output "endpoint" {
  description = "Connection endpoint, `address:port`."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Host name of the DB instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port PostgreSQL listens on."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database (as given; see README on its creation)."
  value       = var.database_name
}

output "master_username" {
  description = "Master user name (its password is only in the secret)."
  value       = aws_db_instance.this.username
}

output "security_group_id" {
  description = "Security group of the DB instance (admits 5432 from allowed_security_group_ids only)."
  value       = aws_security_group.this.id
}

output "db_subnet_group_name" {
  description = "Name of the DB subnet group."
  value       = aws_db_subnet_group.this.name
}

output "parameter_group_name" {
  description = "Name of the DB parameter group."
  value       = aws_db_parameter_group.this.name
}

output "kms_key_arn" {
  description = "ARN of the module's KMS key (storage, Performance Insights, secret, logs); readers of the secret need kms:Decrypt on it."
  value       = module.key.key_arn
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with the connection (engine, host, port, dbname, username, password)."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the Secrets Manager secret with the connection."
  value       = aws_secretsmanager_secret.this.name
}

output "monitoring_role_arn" {
  description = "ARN of the Enhanced Monitoring role, or null when monitoring_interval is 0."
  value       = try(aws_iam_role.monitoring[0].arn, null)
}
