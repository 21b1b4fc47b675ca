name                           = "tbyte-prod"
environment                    = "prod"
vpc_id                         = "vpc-0123456789abcdef0"
vpc_cidr                       = "10.40.0.0/16"
subnet_ids                     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
public_access_cidrs            = ["203.0.113.0/24"]
api_ingress_security_group_ids = ["sg-0123456789abcdef0"]
log_retention_days             = 731
