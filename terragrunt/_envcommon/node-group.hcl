# The EKS managed node groups as every environment has them; env.hcl supplies sizes and instance types.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//node-group"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id             = "vpc-00000000000000000"
    private_subnet_ids = ["subnet-00000000000000001", "subnet-00000000000000002"]
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

dependency "eks" {
  config_path = "../eks"

  mock_outputs = {
    cluster_name              = "tbyte-mock"
    cluster_version           = "1.35"
    cluster_security_group_id = "sg-00000000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan", "show"]
}

inputs = {
  cluster_name              = dependency.eks.outputs.cluster_name
  cluster_version           = dependency.eks.outputs.cluster_version
  vpc_id                    = dependency.vpc.outputs.vpc_id
  subnet_ids                = dependency.vpc.outputs.private_subnet_ids
  cluster_security_group_id = dependency.eks.outputs.cluster_security_group_id

  # The node role carries the platform's role boundary (the deploy role manages no role without it).
  permissions_boundary_arn = local.env.permissions_boundary_arn

  # The vpc-cni add-on has its own IRSA role (modules/eks) wherever the environment installs it, so the nodes
  # do without AmazonEKS_CNI_Policy; local installs no add-on (eks_addons = {}) and keeps it on the nodes.
  vpc_cni_uses_irsa = contains(keys(try(local.env.eks_addons, { vpc-cni = {} })), "vpc-cni")

  node_groups = {
    general = {
      instance_types = local.env.node_instance_types
      capacity_type  = local.env.node_capacity_type
      min_size       = local.env.node_min_size
      desired_size   = local.env.node_desired_size
      max_size       = local.env.node_max_size
      labels         = { workload = "general" }
    }
  }
}
