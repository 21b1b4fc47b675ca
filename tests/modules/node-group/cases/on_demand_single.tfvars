cluster_name              = "tbyte-dev"
vpc_id                    = "vpc-0a1b2c3d4e5f60718"
subnet_ids                = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"]
cluster_security_group_id = "sg-0a1b2c3d4e5f60799"

node_groups = {
  general = {
    instance_types = ["m6i.large"]
    min_size       = 2
    desired_size   = 2
    max_size       = 4
  }
}
