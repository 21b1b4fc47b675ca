output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider (created here or passed in)."
  value       = local.oidc_provider_arn
}

output "plan_role_arn" {
  description = "ARN of the plan role, for `role-to-assume` of aws-actions/configure-aws-credentials in pull-request workflows. Known once its policies are attached."
  value       = aws_iam_role.plan.arn

  depends_on = [aws_iam_role_policy.plan, aws_iam_role_policy_attachment.plan_read_only]
}

output "plan_role_name" {
  description = "Name of the plan role."
  value       = aws_iam_role.plan.name
}

output "deploy_role_arn" {
  description = "ARN of the deploy role, for `role-to-assume` in workflows on the trusted branches and environments. Known once its policies are attached."
  value       = aws_iam_role.deploy.arn

  depends_on = [aws_iam_role_policy_attachment.deploy]
}

output "deploy_role_name" {
  description = "Name of the deploy role."
  value       = aws_iam_role.deploy.name
}

output "deploy_policy_arns" {
  description = "ARNs of the deploy role's managed policies by concern (state, network, eks, identity, data)."
  value       = { for concern, policy in aws_iam_policy.deploy : concern => policy.arn }
}

output "plan_subjects" {
  description = "OIDC subjects (`sub` claims) the plan role accepts."
  value       = local.plan_subjects
}

output "deploy_subjects" {
  description = "OIDC subjects (`sub` claims) the deploy role accepts."
  value       = local.deploy_subjects
}
