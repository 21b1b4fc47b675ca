name                       = "tbyte-prod"
environment                = "prod"
node_type                  = "cache.r7g.large"
number_cache_clusters      = 3
automatic_failover_enabled = true
multi_az_enabled           = true
vpc_id                     = "vpc-0123456789abcdef0"
subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
allowed_security_group_ids = ["sg-0123456789abcdef0"]
snapshot_retention_limit   = 14
skip_final_snapshot        = false
maintenance_window         = "tue:04:00-tue:05:00"
snapshot_window            = "02:00-03:00"
parameters                 = { "maxmemory-policy" = "volatile-lru" }
secret_name                = "tbyte/prod/redis"
secret_reader_roles        = { app = "tbyte-prod-app" }
log_retention_days         = 365
