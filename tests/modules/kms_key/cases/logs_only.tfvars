alias                        = "tbyte-test-logs"
description                  = "test logs"
cloudwatch_logs_arn_patterns = ["arn:aws:logs:eu-central-1:123456789012:log-group:/aws/test/*"]
