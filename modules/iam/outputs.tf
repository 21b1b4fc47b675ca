output "alb_controller_role_arn" {
  description = "ARN of the AWS Load Balancer Controller's IRSA role."
  value       = module.irsa["alb_controller"].role_arn
}

output "alb_controller_role_name" {
  description = "Name of the AWS Load Balancer Controller's IRSA role."
  value       = module.irsa["alb_controller"].role_name
}

output "external_secrets_role_arn" {
  description = "ARN of the External Secrets Operator's IRSA role."
  value       = module.irsa["external_secrets"].role_arn
}

output "external_secrets_role_name" {
  description = "Name of the External Secrets Operator's IRSA role."
  value       = module.irsa["external_secrets"].role_name
}

output "app_role_arn" {
  description = "ARN of the application's IRSA role."
  value       = module.irsa["app"].role_arn
}

output "app_role_name" {
  description = "Name of the application's IRSA role."
  value       = module.irsa["app"].role_name
}

output "service_account_annotations" {
  description = "Annotations of each bound Kubernetes service account (alb_controller, external_secrets, app and the addon_roles), for the Helm values."
  value       = { for key, role in module.irsa : key => role.service_account_annotations }
}

output "service_accounts" {
  description = "Each bound service account (alb_controller, external_secrets, app and the addon_roles by add-on name) with its namespace, name and role ARN: what the GitOps cluster secret hands to the add-ons."
  value = {
    for key, role in module.irsa : key => {
      namespace = local.bindings[key].namespace
      name      = local.bindings[key].name
      role_arn  = role.role_arn
    }
  }
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider (created or passed in); null without enable_github."
  value       = one(module.github[*].oidc_provider_arn)
}

output "github_pr_role_arn" {
  description = "ARN of the GitHub pull-request role (read-only metadata; no state, secret values or lock files); null without enable_github."
  value       = one(module.github[*].pr_role_arn)
}

output "github_plan_role_arn" {
  description = "ARN of the GitHub plan role (the trusted branches: read-only, reads the state, no lock); null without enable_github."
  value       = one(module.github[*].plan_role_arn)
}

output "github_drift_role_arn" {
  description = "ARN of the GitHub drift role (the trusted branches, the scheduled drift check only); null without enable_github."
  value       = one(module.github[*].drift_role_arn)
}

output "github_deploy_role_arn" {
  description = "ARN of the GitHub deploy role (the GitHub environments only: apply and releases); null without enable_github."
  value       = one(module.github[*].deploy_role_arn)
}

output "github_role_names" {
  description = "Names of the GitHub roles by kind (pr, plan, drift, deploy); null without enable_github."
  value       = one(module.github[*].role_names)
}

output "role_permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the platform's roles (the GitHub module's with enable_github, otherwise permissions_boundary_arn)."
  value       = local.permissions_boundary_arn
}
