name             = "tbyte-test"
cidr             = "10.0.0.0/16"
azs              = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
nat_gateway_mode = "one_per_az"
cluster_name     = "tbyte-test"
