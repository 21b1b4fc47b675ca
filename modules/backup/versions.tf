terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider); no argument here was removed by 5.x/6.x.
    # `aws.copy` is the provider of the copy region (the disaster-recovery vault); give it the default provider
    # where nothing is copied (no resource uses it then).
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 3.39.0, < 7.0.0"
      configuration_aliases = [aws.copy]
    }
  }
}
