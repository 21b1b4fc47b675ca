terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # Verified on 3.39.0 (the offline provider). The upper bound is 6.0, not 7.0: aws_eks_addon's
    # `resolve_conflicts` (the only conflict argument 3.39 has) was removed in 6.0 in favour of
    # resolve_conflicts_on_create/on_update, which 3.39 does not know; no single argument works on both.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 3.39.0, < 6.0.0"
    }
  }
}
