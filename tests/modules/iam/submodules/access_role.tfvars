name              = "tbyte-dev-core-read-only"
team              = "core"
members           = ["arn:aws:iam::444455556666:user/marta.rossi"]
require_mfa       = true
max_session_hours = 1
cluster_arn       = "arn:aws:eks:eu-central-1:123456789012:cluster/tbyte-dev"
