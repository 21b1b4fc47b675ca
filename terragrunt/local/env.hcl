# Environment `local`: the whole platform in the embedded AWS emulator (moto), for development and tests.
# Every difference between environments is in this file; the stacks are the same everywhere.
locals {
  environment  = "local"
  region       = "eu-central-1"
  account_id   = "123456789012" # the emulator's fixed account
  owner        = "platform-team"
  cost_center  = "tbyte-platform-dev"
  state_bucket = "tbyte-terraform-state-local"
  # The boundary every role of the platform carries, created by the iam stack's GitHub module (docs/ci.md).
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/tbyte-local-role-boundary"

  # Network
  availability_zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  az_count           = 2
  vpc_cidr           = "10.10.0.0/16"
  nat_gateway_mode   = "single"
  log_retention_days = 7

  # EKS
  # The version of the local control plane (tools/kubernetes: kube-apiserver 1.34) the releases render for.
  kubernetes_version      = "1.34"
  eks_public_endpoint     = false
  eks_public_access_cidrs = []
  # The emulator has no EKS add-on API (aws_eks_addon never completes): the one way local differs from AWS.
  eks_addons = {}

  # Nodes
  node_instance_types = ["t3.medium"]
  node_capacity_type  = "ON_DEMAND"
  node_min_size       = 1
  node_desired_size   = 1
  node_max_size       = 2

  # Database
  db_instance_class        = "db.t3.micro"
  db_allocated_storage     = 20
  db_max_allocated_storage = 50
  db_multi_az              = false
  db_deletion_protection   = false
  db_backup_retention_days = 1
  db_monitoring_interval   = 0
  db_performance_insights  = 7
}
