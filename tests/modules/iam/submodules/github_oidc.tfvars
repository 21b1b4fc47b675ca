name_prefix       = "tbyte-dev"
repository        = "tbyte/platform"
branches          = ["main"]
state_bucket_name = "tbyte-terraform-state-dev"
secrets_prefix    = "tbyte/dev/"
environments      = ["dev"]
