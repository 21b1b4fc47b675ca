terraform {
  # 1.5 is the oldest CLI the repository supports (a user's own terraform may replace the embedded 1.15).
  required_version = ">= 1.5.0"

  required_providers {
    # aws_eks_access_entry and aws_eks_access_policy_association exist from 5.33.0 on: this module is for the
    # AWS environments only (6.25.0, terragrunt/.terraform.lock.aws.hcl), checked against the 6.25 schema.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.33.0, < 7.0.0"
    }
  }
}
