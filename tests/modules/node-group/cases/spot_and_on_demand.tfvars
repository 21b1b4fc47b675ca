cluster_name              = "tbyte-prod"
cluster_version           = "1.31"
vpc_id                    = "vpc-0a1b2c3d4e5f60718"
subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"]
cluster_security_group_id = "sg-0a1b2c3d4e5f60799"
vpc_cni_uses_irsa         = true

node_groups = {
  system = {
    instance_types = ["m6i.large"]
    min_size       = 2
    desired_size   = 3
    max_size       = 3
    labels         = { "tbyte.io/pool" = "system" }
    taints         = [{ key = "CriticalAddonsOnly", value = "true", effect = "NO_SCHEDULE" }]
  }
  spot = {
    instance_types = ["m6i.xlarge", "m5.xlarge", "m5a.xlarge"]
    capacity_type  = "SPOT"
    min_size       = 1
    desired_size   = 2
    max_size       = 10
    disk_size_gb   = 80
    labels         = { "tbyte.io/pool" = "spot", "tbyte.io/interruptible" = "true" }
    taints = [
      { key = "tbyte.io/spot", effect = "PREFER_NO_SCHEDULE" },
      { key = "tbyte.io/batch", value = "only", effect = "NO_EXECUTE" },
    ]
  }
}

tags = { Environment = "prod", Owner = "platform" }
