name                    = "tbyte-dev"
environment             = "dev"
resource_arns           = ["arn:aws:rds:eu-central-1:111111111111:db:tbyte-dev"]
retention_days          = 7
schedule                = "cron(0 2 * * ? *)"
protect_recovery_points = false
