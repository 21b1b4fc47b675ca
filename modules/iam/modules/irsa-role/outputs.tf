output "role_arn" {
  description = "ARN of the role. Known only once its policy is in place, so a workload using it waits for its permissions."
  value       = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.this, aws_iam_role_policy_attachment.managed]
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "service_account_annotations" {
  description = "Annotations to put on the Kubernetes service account (`eks.amazonaws.com/role-arn` = the role ARN)."
  value       = { "eks.amazonaws.com/role-arn" = aws_iam_role.this.arn }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.this, aws_iam_role_policy_attachment.managed]
}

output "policy_arn" {
  description = "ARN of the customer-managed policy when policy_type is managed; null for an inline policy."
  value       = one(aws_iam_policy.this[*].arn)
}
