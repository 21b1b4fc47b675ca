# EKS access entries of the access groups (platform/tenants.yaml, terragrunt/tenancy.hcl): each group's role
# (iam stack) mapped to its Kubernetes group, with its level's access policy scoped to its namespaces.
# AWS environments only: the module needs provider 5.33+ (access entries), `local` has 3.39 offline and maps the
# same roles in aws-auth instead (helm/charts/tenancy).

locals {
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
  tenancy = read_terragrunt_config("${get_repo_root()}/terragrunt/tenancy.hcl").locals
}

terraform {
  source = "${get_repo_root()}/modules//eks-access"
}

dependency "eks" {
  config_path = "../eks"

  mock_outputs = {
    cluster_name = "tbyte-mock"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

dependency "iam" {
  config_path = "../iam"

  mock_outputs = {
    access_role_arns = local.tenancy.role_arns
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  cluster_name = dependency.eks.outputs.cluster_name
  access_entries = {
    for key, entry in local.tenancy.access_entries : key => merge(entry, {
      principal_arn = dependency.iam.outputs.access_role_arns[key]
    })
  }
}
