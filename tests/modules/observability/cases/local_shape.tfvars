name             = "tbyte-local"
rds              = { instance_id = "tbyte-local", allocated_storage_gib = 20, memory_gib = 1 }
elasticache      = { replication_group_id = "tbyte-local", member_clusters = ["tbyte-local-001"] }
eks_cluster_name = "tbyte-local"
