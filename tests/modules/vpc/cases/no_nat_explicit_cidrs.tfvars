name                  = "tbyte-isolated"
cidr                  = "172.16.0.0/20"
azs                   = ["eu-central-1a", "eu-central-1b"]
nat_gateway_mode      = "none"
public_subnet_cidrs   = ["172.16.0.0/26", "172.16.0.64/26"]
private_subnet_cidrs  = ["172.16.4.0/22", "172.16.8.0/22"]
database_subnet_cidrs = ["172.16.1.0/26", "172.16.1.64/26"]
