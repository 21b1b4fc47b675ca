identifier                            = "tbyte-prod"
environment                           = "prod"
engine_version                        = "16.4"
instance_class                        = "db.m7g.large"
allocated_storage                     = 100
max_allocated_storage                 = 1000
multi_az                              = true
deletion_protection                   = true
skip_final_snapshot                   = false
backup_retention_period               = 35
backup_window                         = "01:00-02:00"
maintenance_window                    = "sun:02:30-sun:03:30"
performance_insights_retention_period = 731
monitoring_interval                   = 15
vpc_id                                = "vpc-0123456789abcdef0"
subnet_ids                            = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
allowed_security_group_ids            = ["sg-0123456789abcdef0", "sg-0123456789abcdef1"]
database_name                         = "tbyte"
master_username                       = "tbyte_owner"
secret_name                           = "tbyte/prod/database"
parameters = {
  log_min_duration_statement = { value = "500" }
  shared_preload_libraries   = { value = "pg_stat_statements,auto_explain", apply_method = "pending-reboot" }
}
