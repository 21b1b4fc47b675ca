# The edge of the environment: the WAF web ACL the ALBs of the AWS Load Balancer Controller use (referenced by the
# Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn), its logs, and, when the environment names a domain,
# the ACM certificate of the HTTPS listeners with its DNS validation in the domain's hosted zone.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  metric_prefix = replace(var.name, "-", "")
}

resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV_AWS_192:AWSManagedRulesKnownBadInputsRuleSet (Log4JRCE) is always in the ACL and blocking (validations of managed_rule_groups, asserted by a plan test); checkov cannot read the dynamic rule block.
  name        = var.name
  description = "Web ACL of the ${var.name} load balancers: AWS managed rules and a rate limit per client IP"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  # The rate limit is evaluated first, so that a flood is blocked before the managed rules spend capacity on it.
  rule {
    name     = "rate-limit-per-ip"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric_prefix}RateLimitPerIp"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = var.managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value.priority

      # "none" applies the group's own actions (block); "count" only counts, to tune a group before enforcing it.
      override_action {
        dynamic "none" {
          for_each = rule.value.count_only ? [] : [1]
          content {}
        }
        dynamic "count" {
          for_each = rule.value.count_only ? [1] : []
          content {}
        }
      }

      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${local.metric_prefix}${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${local.metric_prefix}WebAcl"
    sampled_requests_enabled   = true
  }

  tags = merge(var.tags, { Name = var.name })
}
