name                = "tbyte-prod"
environment         = "prod"
resource_arns       = ["arn:aws:rds:eu-central-1:333333333333:db:tbyte-prod"]
retention_days      = 35
copy_region         = "eu-west-1"
copy_retention_days = 90
notifications       = { topic_arn = "arn:aws:sns:eu-central-1:333333333333:tbyte-prod-alarms" }
tags                = { Project = "tbyte" }
