terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider). Managed rule groups use no `excluded_rule` (removed in 5.x) and the
    # log group ARN is trimmed of the ":*" that 3.x appends and 4.x dropped, so the same code works on both.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
