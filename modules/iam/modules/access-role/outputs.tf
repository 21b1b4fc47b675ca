output "role_arn" {
  description = "ARN of the role (the principal of its EKS access entry or aws-auth mapping)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}
