output "repository_names" {
  description = "Repository names by service (`<namespace>/<service>`), for the deploy role's ECR grant."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.name }
}

output "repository_arns" {
  description = "Repository ARNs by service."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.arn }
}

output "repository_urls" {
  description = "Repository URLs by service (`<account>.dkr.ecr.<region>.amazonaws.com/<namespace>/<service>`), the image repositories of the Helm releases."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.repository_url }
}

output "registry_id" {
  description = "ID (account) of the registry holding the repositories."
  value       = one(distinct([for repository in aws_ecr_repository.this : repository.registry_id]))
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the images."
  value       = module.key.key_arn
}
