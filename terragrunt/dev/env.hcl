# Environment `dev`: one AWS account, small and cheap, reachable from the office for kubectl.
# Every difference between environments is in this file; the stacks are the same everywhere.
locals {
  environment      = "dev"
  region           = "eu-central-1"
  account_id       = "111111111111" # replace with the dev account
  deploy_role_name = "tbyte-terraform"
  owner            = "platform-team"
  cost_center      = "tbyte-platform-dev"
  state_bucket     = "tbyte-terraform-state-111111111111"
  # The customer-managed key of the state bucket (SSE-KMS), created with the bucket at bootstrap (docs/ci.md).
  state_kms_key_alias = "alias/tbyte-terraform-state"
  # The boundary every role of the platform carries, created by the iam stack's GitHub module (docs/ci.md).
  permissions_boundary_arn = "arn:aws:iam::111111111111:policy/tbyte-dev-role-boundary"

  # Network
  availability_zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  az_count           = 2
  vpc_cidr           = "10.20.0.0/16"
  nat_gateway_mode   = "single"
  log_retention_days = 30

  # EKS
  # In EKS standard support until 2027-03-27; modules/eks/addon_versions.tf pins its add-ons.
  kubernetes_version      = "1.35"
  eks_public_endpoint     = true
  eks_public_access_cidrs = ["203.0.113.0/24"] # office egress
  # Nodes
  node_instance_types = ["t3.large", "t3a.large"]
  node_capacity_type  = "SPOT"
  node_min_size       = 1
  node_desired_size   = 2
  node_max_size       = 4

  # Database
  db_instance_class        = "db.t4g.small"
  db_allocated_storage     = 20
  db_max_allocated_storage = 100
  db_multi_az              = false
  db_deletion_protection   = false
  db_backup_retention_days = 3
  db_monitoring_interval   = 60
  db_performance_insights  = 7
}
