# Environment `local`: the whole platform in the embedded AWS emulator (moto), for development and tests.
locals {
  environment  = "local"
  region       = "eu-central-1"
  account_id   = "123456789012" # moto's fixed account
  owner        = "platform-team"
  cost_center  = "tbyte-platform-dev"
  state_bucket = "tbyte-terraform-state-local"

  availability_zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  az_count           = 2
  vpc_cidr           = "10.10.0.0/16"
  nat_gateway_mode   = "single"
  log_retention_days = 7
}
