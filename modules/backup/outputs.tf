output "vault_name" {
  description = "Name of the backup vault."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "copy_vault_arn" {
  description = "ARN of the copy region's vault, or null when nothing is copied."
  value       = one(aws_backup_vault.copy[*].arn)
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "plan_arn" {
  description = "ARN of the backup plan."
  value       = aws_backup_plan.this.arn
}

output "role_arn" {
  description = "ARN of the role AWS Backup uses for the selected resources."
  value       = aws_iam_role.this.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key of the vault."
  value       = module.key.key_arn
}
