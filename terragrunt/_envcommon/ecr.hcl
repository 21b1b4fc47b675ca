# The container registry as every environment has it: one repository per service listed in env.hcl.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//ecr"
}

# The CI deploy role pushes (modules/iam github-oidc).
dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    github_deploy_role_arn = "arn:aws:iam::123456789012:role/tbyte-mock-github-deploy"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

# The nodes pull.
dependency "node_group" {
  config_path = "../node-group"

  mock_outputs = {
    node_role_arn = "arn:aws:iam::123456789012:role/tbyte-mock-nodes"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  namespace          = "tbyte"
  services           = local.env.services
  keep_tagged_images = local.env.ecr_keep_tagged_images
  # iam.hcl enables the GitHub roles in every environment (a null here would fail the module's validation).
  push_principal_arns = [dependency.iam.outputs.github_deploy_role_arn]
  pull_principal_arns = [dependency.node_group.outputs.node_role_arn]
}
