name                       = "tbyte-dev"
environment                = "dev"
node_type                  = "cache.t4g.micro"
number_cache_clusters      = 1
automatic_failover_enabled = false
multi_az_enabled           = false
vpc_id                     = "vpc-0123456789abcdef0"
subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
allowed_security_group_ids = ["sg-0123456789abcdef0"]
snapshot_retention_limit   = 1
skip_final_snapshot        = true
secret_name                = "tbyte/dev/redis"
secret_reader_roles        = { app = "tbyte-dev-app" }
log_retention_days         = 30
tags                       = { Project = "tbyte" }
