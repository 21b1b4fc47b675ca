output "role_arn" {
  description = "ARN of the cluster role (set as the EKS cluster's role_arn). Known only once the policies are attached, so a cluster using it waits for them."
  value       = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy_attachment.this]
}

output "role_name" {
  description = "Name of the cluster role."
  value       = aws_iam_role.this.name
}
