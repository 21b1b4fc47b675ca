identifier                 = "tbyte-dev"
environment                = "dev"
engine_version             = "16"
instance_class             = "db.t4g.micro"
allocated_storage          = 20
max_allocated_storage      = 50
multi_az                   = false
deletion_protection        = false
skip_final_snapshot        = true
backup_retention_period    = 3
vpc_id                     = "vpc-0123456789abcdef0"
subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
allowed_security_group_ids = ["sg-0123456789abcdef0"]
database_name              = "tbyte"
master_username            = "tbyte_admin"
secret_name                = "tbyte/dev/database"
tags                       = { Project = "tbyte" }
