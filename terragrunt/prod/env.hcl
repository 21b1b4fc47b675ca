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
  db_instance_memory_gib   = 32 # of db_instance_class: the observability stack's memory and connection thresholds

  # Cache (ElastiCache Redis)
  cache_node_type               = "cache.r7g.large"
  cache_nodes                   = 3 # more than 1: replicas with automatic failover
  cache_multi_az                = true
  cache_snapshot_retention_days = 7

  # Container images: one ECR repository per service
  services               = ["frontend", "api", "worker"]
  ecr_keep_tagged_images = 100

  # Edge
  domain_name    = "tbyte.example.com"
  hosted_zone_id = "Z000000000000000PROD" # replace with the zone of tbyte.example.com
  waf_rate_limit = 2000                   # requests per client IP in 5 minutes
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists (the www alias record):
  # { dns_name = "k8s-....eu-central-1.elb.amazonaws.com", zone_id = "<the ALB's hosted zone>" }
  alb_endpoint = null

  # Observability
  alarm_subscriptions = [{ protocol = "email", endpoint = "platform-oncall@tbyte.example.com" }]
  latency_slo_seconds = 0.5 # p99 of the ALB's target response time
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists:
  # { arn_suffix = "app/<name>/<id>", target_group_arn_suffixes = ["targetgroup/<name>/<id>"] }
  alb_monitoring = null

  # Backups and disaster recovery (RTO/RPO: modules/backup/README.md)
  backup_schedule            = "cron(0 3 * * ? *)"
  backup_retention_days      = 35
  backup_copy_region         = "eu-west-1" # disaster recovery: every recovery point is copied there
  backup_copy_retention_days = 35
}
