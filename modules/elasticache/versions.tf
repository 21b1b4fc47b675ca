terraform {
  # 1.5 is the oldest CLI the repository supports; optional() object attributes (1.3) are used.
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider). The upper bound is 5.0, not 7.0: 5.0 removed the replication
    # group's `number_cache_clusters` and `replication_group_description` in favour of `num_cache_clusters` and
    # `description`, which 3.39 does not know; no single argument works on both sides. See README.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 5.0.0"
    }
  }
}
