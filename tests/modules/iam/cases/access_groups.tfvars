name_prefix          = "tbyte-dev"
oidc_provider_arn    = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/DEV00000000000000000000000000000"
oidc_issuer          = "oidc.eks.eu-central-1.amazonaws.com/id/DEV00000000000000000000000000000"
secrets_prefix       = "tbyte/dev/"
database_secret_name = "tbyte/dev/database"

access_groups = {
  break-glass = {
    role_name         = "tbyte-dev-break-glass"
    team              = "platform"
    members           = ["arn:aws:iam::444455556666:user/ana.lima"]
    require_mfa       = true
    max_session_hours = 1
    break_glass       = true
    description       = "Emergency administration."
  }
  core-read-only = {
    role_name         = "tbyte-dev-core-read-only"
    team              = "core"
    members           = ["arn:aws:iam::444455556666:user/marta.rossi", "arn:aws:iam::444455556666:user/lea.martin"]
    require_mfa       = true
    max_session_hours = 4
    break_glass       = false
    description       = "Reads the team's namespaces."
  }
  core-ci-deployer = {
    role_name         = "tbyte-dev-core-ci-deployer"
    team              = "core"
    members           = ["arn:aws:iam::123456789012:role/tbyte-dev-github-deploy"]
    require_mfa       = false
    max_session_hours = 1
    break_glass       = false
    description       = "CI roll-outs."
  }
}

break_glass_alarm = {
  cloudtrail_log_group_name = "/aws/cloudtrail/tbyte"
  alarm_actions             = ["arn:aws:sns:eu-central-1:123456789012:tbyte-dev-alarms"]
}
