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
  db_instance_memory_gib   = 2 # of db_instance_class: the observability stack's memory and connection thresholds

  # Cache (ElastiCache Redis)
  cache_node_type               = "cache.t4g.small"
  cache_nodes                   = 1 # more than 1: replicas with automatic failover
  cache_multi_az                = false
  cache_snapshot_retention_days = 1

  # Container images: one ECR repository per service
  services               = ["frontend", "api", "worker"]
  ecr_keep_tagged_images = 30

  # Edge
  domain_name    = "dev.tbyte.example.com"
  hosted_zone_id = "Z00000000000000000DEV" # replace with the zone of dev.tbyte.example.com
  waf_rate_limit = 2000                    # requests per client IP in 5 minutes
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists (the www alias record):
  # { dns_name = "k8s-....eu-central-1.elb.amazonaws.com", zone_id = "<the ALB's hosted zone>" }
  alb_endpoint = null

  # Observability
  alarm_subscriptions = [{ protocol = "email", endpoint = "platform-dev@tbyte.example.com" }]
  latency_slo_seconds = 1 # p99 of the ALB's target response time
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists:
  # { arn_suffix = "app/<name>/<id>", target_group_arn_suffixes = ["targetgroup/<name>/<id>"] }
  alb_monitoring = null

  # Backups and disaster recovery (RTO/RPO: modules/backup/README.md)
  backup_schedule            = "cron(0 3 * * ? *)"
  backup_retention_days      = 7
  backup_copy_region         = null
  backup_copy_retention_days = 1
}
