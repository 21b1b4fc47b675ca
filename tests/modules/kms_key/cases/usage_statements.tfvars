alias                   = "tbyte-test-use"
description             = "test use"
deletion_window_in_days = 7
usage_policy_json       = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RoleUse\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/user\"}}]}"
