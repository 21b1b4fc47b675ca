name                      = "tbyte-prod"
rate_limit                = 1000
log_retention_days        = 365
domain_name               = "tbyte.example.com"
subject_alternative_names = ["*.tbyte.example.com"]
hosted_zone_id            = "Z0123456789ABCDEFGHIJ"
