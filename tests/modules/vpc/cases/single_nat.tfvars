name                    = "tbyte-dev"
cidr                    = "10.20.0.0/16"
azs                     = ["eu-central-1a", "eu-central-1b"]
nat_gateway_mode        = "single"
flow_log_retention_days = 30
flow_log_traffic_type   = "REJECT"
