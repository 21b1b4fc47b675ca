name               = "tbyte-local"
log_retention_days = 7
tags               = { Project = "tbyte" }
