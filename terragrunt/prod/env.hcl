# Environment `prod`: highly available in three zones, private API endpoint only, protected database.
# Every difference between environments is in this file; the stacks are the same everywhere.
locals {
  environment      = "prod"
  region           = "eu-central-1"
  account_id       = "333333333333" # replace with the prod account
  deploy_role_name = "tbyte-terraform"
  owner            = "platform-team"
  cost_center      = "tbyte-platform-prod"
  state_bucket     = "tbyte-terraform-state-333333333333"
  # The customer-managed key of the state bucket (SSE-KMS), created with the bucket at bootstrap (docs/ci.md).
  state_kms_key_alias = "alias/tbyte-terraform-state"
  # The boundary every role of the platform carries, created by the iam stack's GitHub module (docs/ci.md).
  permissions_boundary_arn = "arn:aws:iam::333333333333:policy/tbyte-prod-role-boundary"

  # Network
  availability_zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  az_count           = 3
  vpc_cidr           = "10.40.0.0/16"
  nat_gateway_mode   = "one_per_az"
  log_retention_days = 365

  # EKS: reached only from inside the VPC (VPN / bastion)
  # In EKS standard support until 2027-03-27; modules/eks/addon_versions.tf pins its add-ons.
  kubernetes_version      = "1.35"
  eks_public_endpoint     = false
  eks_public_access_cidrs = []

  # Nodes
  node_instance_types = ["m6i.xlarge"]
  node_capacity_type  = "ON_DEMAND"
  node_min_size       = 3
  node_desired_size   = 3
  node_max_size       = 12

  # Database
  db_instance_class        = "db.r6g.xlarge"
  db_allocated_storage     = 100
  db_max_allocated_storage = 1000
  db_multi_az              = true
  db_deletion_protection   = true
  db_backup_retention_days = 14
  db_monitoring_interval   = 15
  db_performance_insights  = 731
}
