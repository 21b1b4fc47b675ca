terraform {
  # 1.5 is the oldest CLI the repository supports; optional() object attributes (1.3) are used.
  required_version = ">= 1.5.0"

  required_providers {
    # Written for 6.x (dev/stage/prod lock 6.25.0) and verified on 3.39.0 (the offline provider of `local` and of
    # the module tests) through the provider-3 variant of replication_group.tf (provider3/, see README): 5.0
    # renamed two of the replication group's arguments, and no single spelling works on both sides.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 7.0.0"
    }
  }
}
