cluster_name              = "tbyte-stage"
vpc_id                    = "vpc-0a1b2c3d4e5f60718"
subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]
cluster_security_group_id = "sg-0a1b2c3d4e5f60799"

node_groups = {
  general = {
    instance_types = ["m6i.large"]
    min_size       = 1
    desired_size   = 1
    max_size       = 3
  }
  arm-zone-a = {
    instance_types = ["m7g.large", "c7g.xlarge"]
    ami_type       = "AL2_ARM_64"
    min_size       = 1
    desired_size   = 1
    max_size       = 2
    disk_size_gb   = 100
    subnet_ids     = ["subnet-0a1b2c3d4e5f60711"]
  }
}
