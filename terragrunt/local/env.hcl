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
  db_instance_memory_gib   = 1 # of db_instance_class: the observability stack's memory and connection thresholds

  # Cache (ElastiCache Redis)
  cache_node_type               = "cache.t4g.micro"
  cache_nodes                   = 1 # more than 1: replicas with automatic failover
  cache_multi_az                = false
  cache_snapshot_retention_days = 1

  # Container images: one ECR repository per service
  services               = ["frontend", "api", "worker"]
  ecr_keep_tagged_images = 10

  # Edge
  domain_name    = null # the emulator serves no domain: no certificate, no records
  hosted_zone_id = null
  waf_rate_limit = 2000 # requests per client IP in 5 minutes
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists (the www alias record):
  # { dns_name = "k8s-....eu-central-1.elb.amazonaws.com", zone_id = "<the ALB's hosted zone>" }
  alb_endpoint = null

  # Observability
  alarm_subscriptions = []
  latency_slo_seconds = 1 # p99 of the ALB's target response time
  # The ALB the AWS Load Balancer Controller creates for the Ingress, once it exists:
  # { arn_suffix = "app/<name>/<id>", target_group_arn_suffixes = ["targetgroup/<name>/<id>"] }
  alb_monitoring = null

  # Backups and disaster recovery (RTO/RPO: modules/backup/README.md)
  backup_schedule            = "cron(0 3 * * ? *)"
  backup_retention_days      = 1
  backup_copy_region         = null
  backup_copy_retention_days = 1
}
