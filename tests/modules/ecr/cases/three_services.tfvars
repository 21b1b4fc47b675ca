namespace                  = "tbyte"
services                   = ["frontend", "api", "worker"]
keep_tagged_images         = 30
untagged_image_expiry_days = 7
push_principal_arns        = ["arn:aws:iam::123456789012:role/tbyte-dev-github-deploy"]
pull_principal_arns        = ["arn:aws:iam::123456789012:role/tbyte-dev-nodes"]
tags                       = { Project = "tbyte" }
