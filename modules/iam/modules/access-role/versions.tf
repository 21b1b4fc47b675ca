terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider); aws_iam_role and aws_iam_role_policy use no argument that
    # 5.x/6.x removed.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
