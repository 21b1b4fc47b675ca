terraform {
  # 1.5 is the oldest CLI the repository supports; terraform_data (1.4) and optional() object attributes (1.3) are used.
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider); checked against the 6.25.0 schema (tests/modules/test_provider_schema.py).
    # `aws_db_instance.name` (removed in 5.x) is not used; see README.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
