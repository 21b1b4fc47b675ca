name               = "tbyte-dev"
environment        = "dev"
kubernetes_version = "1.35"
vpc_id             = "vpc-0123456789abcdef0"
vpc_cidr           = "10.20.0.0/16"
subnet_ids         = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
tags               = { Project = "tbyte" }
