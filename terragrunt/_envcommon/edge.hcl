# The edge as every environment has it: the WAF web ACL of the Ingress ALBs, and the certificate and records of
# the environment's domain when env.hcl names one.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals
}

terraform {
  source = "${get_repo_root()}/modules//edge"
}

inputs = {
  name               = "tbyte-${local.env.environment}"
  rate_limit         = local.env.waf_rate_limit
  log_retention_days = local.env.log_retention_days

  domain_name               = local.env.domain_name
  subject_alternative_names = local.env.domain_name == null ? [] : ["*.${local.env.domain_name}"]
  hosted_zone_id            = local.env.hosted_zone_id

  # The www record, once the AWS Load Balancer Controller has created the Ingress's ALB (env.hcl alb_endpoint).
  load_balancer = local.env.alb_endpoint
  alias_records = local.env.domain_name == null ? [] : ["www.${local.env.domain_name}"]
}
