output "replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.replication_group_id
}

output "replication_group_arn" {
  description = "ARN of the replication group."
  value       = aws_elasticache_replication_group.this.arn
}

output "primary_endpoint_address" {
  description = "Host name of the primary (reads and writes); follows a failover."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint_address" {
  description = "Host name spreading reads over the replicas (the primary when there is none)."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Port Redis listens on (TLS only)."
  value       = aws_elasticache_replication_group.this.port
}

output "member_clusters" {
  description = "IDs of the member cache clusters (nodes), the CacheClusterId dimension of their CloudWatch metrics."
  value       = sort(tolist(aws_elasticache_replication_group.this.member_clusters))
}

output "security_group_id" {
  description = "Security group of the cache (admits the Redis port from allowed_security_group_ids only)."
  value       = aws_security_group.this.id
}

output "subnet_group_name" {
  description = "Name of the cache subnet group."
  value       = aws_elasticache_subnet_group.this.name
}

output "parameter_group_name" {
  description = "Name of the cache parameter group."
  value       = aws_elasticache_parameter_group.this.name
}

output "kms_key_arn" {
  description = "ARN of the module's KMS key (data at rest, snapshots, secret, logs); readers of the secret need kms:Decrypt on it."
  value       = module.key.key_arn
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with the connection (engine, host, reader_host, port, tls, auth_token)."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the Secrets Manager secret with the connection."
  value       = aws_secretsmanager_secret.this.name
}

output "log_group_names" {
  description = "Log groups of the Redis logs, by log type."
  value       = { for type, group in aws_cloudwatch_log_group.this : type => group.name }
}
