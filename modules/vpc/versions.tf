terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider); checked against the 6.25.0 schema (tests/modules/test_provider_schema.py).
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
