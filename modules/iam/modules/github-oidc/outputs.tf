output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider (created here or passed in)."
  value       = local.oidc_provider_arn
}

output "pr_role_arn" {
  description = "ARN of the pull-request role (`repo:<repo>:pull_request`): read-only metadata, no state, no secret values, no lock files."
  value       = aws_iam_role.this["pr"].arn

  depends_on = [aws_iam_role_policy.read_only, aws_iam_role_policy_attachment.read_only]
}

output "plan_role_arn" {
  description = "ARN of the plan role (the trusted branches): read-only, reads the state, writes nothing (plans run with -lock=false). Known once its policies are attached."
  value       = aws_iam_role.this["plan"].arn

  depends_on = [aws_iam_role_policy.read_only, aws_iam_role_policy_attachment.read_only]
}

output "drift_role_arn" {
  description = "ARN of the drift role (the trusted branches, the scheduled drift check only): the plan role's rights."
  value       = aws_iam_role.this["drift"].arn

  depends_on = [aws_iam_role_policy.read_only, aws_iam_role_policy_attachment.read_only]
}

output "deploy_role_arn" {
  description = "ARN of the deploy role (the GitHub environments only): terraform apply and releases. Known once its policies are attached."
  value       = aws_iam_role.this["deploy"].arn

  depends_on = [aws_iam_role_policy_attachment.deploy]
}

output "role_names" {
  description = "Names of the four roles by kind: pr, plan, drift, deploy."
  value       = { for key, role in aws_iam_role.this : key => role.name }
}

output "deploy_policy_arns" {
  description = "ARNs of the deploy role's managed policies by concern (state, network, eks, identity, keys, data, edge, operations, and registry when ecr_repository_names is set)."
  value       = { for concern, policy in aws_iam_policy.deploy : concern => policy.arn }
}

output "role_permissions_boundary_arn" {
  description = "ARN of the permissions boundary every role the deploy role creates or changes must carry (`<name_prefix>-role-boundary`); known when planned. Pass it as permissions_boundary_arn to the platform's modules."
  value       = local.boundary_arn

  # Roles that take this ARN are created after the policy exists.
  depends_on = [aws_iam_policy.role_boundary]
}

output "subjects" {
  description = "OIDC subjects (`sub` claims) each role accepts, by kind: pr, plan, drift, deploy."
  value       = { for key, role in local.roles : key => role.subjects }
}
