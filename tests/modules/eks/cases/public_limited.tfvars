name                           = "tbyte-stage"
environment                    = "stage"
kubernetes_version             = "1.34"
vpc_id                         = "vpc-0123456789abcdef0"
vpc_cidr                       = "10.30.0.0/16"
subnet_ids                     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"]
endpoint_public_access         = true
public_access_cidrs            = ["203.0.113.0/24", "198.51.100.7/32"]
api_ingress_cidrs              = ["10.99.0.0/16"]
api_ingress_security_group_ids = ["sg-0123456789abcdef0", "sg-0fedcba9876543210"]
service_ipv4_cidr              = "172.20.0.0/16"
enabled_log_types              = ["api", "audit"]
log_retention_days             = 90
kms_deletion_window_days       = 7
addons = {
  vpc-cni = {
    version              = "v1.21.1-eksbuild.8"
    configuration_values = "{\"env\":{\"WARM_PREFIX_TARGET\":\"1\"}}"
  }
  aws-ebs-csi-driver = {
    service_account_role_arn = "arn:aws:iam::123456789012:role/tbyte-stage-ebs-csi"
  }
}
