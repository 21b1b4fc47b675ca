# The certificate of the HTTPS listeners, when the environment names a domain: the domain and its subject
# alternative names, validated by DNS records in the domain's hosted zone (Route53), renewed by ACM as long as
# the records stay. Without a domain nothing of this is created.

locals {
  certificate_domains = var.domain_name == null ? [] : distinct(concat([var.domain_name], var.subject_alternative_names))
}

resource "aws_acm_certificate" "this" {
  count = var.domain_name == null ? 0 : 1

  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"

  tags = merge(var.tags, { Name = var.domain_name })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.hosted_zone_id != null
      error_message = "domain_name needs hosted_zone_id: the certificate is validated by DNS records in that zone."
    }
  }
}

# One record per name (keyed by the names given, known at plan time); a wildcard and its apex share one record.
resource "aws_route53_record" "validation" {
  for_each = toset(local.certificate_domains)

  zone_id         = var.hosted_zone_id
  name            = one([for option in aws_acm_certificate.this[0].domain_validation_options : option.resource_record_name if option.domain_name == each.key])
  type            = one([for option in aws_acm_certificate.this[0].domain_validation_options : option.resource_record_type if option.domain_name == each.key])
  records         = [one([for option in aws_acm_certificate.this[0].domain_validation_options : option.resource_record_value if option.domain_name == each.key])]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = var.domain_name == null ? 0 : 1

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]
}

# The environment's host names, once the load balancer exists (created by the AWS Load Balancer Controller from the
# Ingress; its DNS name and zone go into env.hcl after the first deploy). Aliases, so no IP is ever copied.
resource "aws_route53_record" "alias" {
  for_each = var.load_balancer == null ? toset([]) : toset(var.alias_records)

  zone_id = var.hosted_zone_id
  name    = each.value
  type    = "A"

  alias {
    name                   = var.load_balancer.dns_name
    zone_id                = var.load_balancer.zone_id
    evaluate_target_health = true
  }

  lifecycle {
    precondition {
      condition     = var.hosted_zone_id != null
      error_message = "alias_records need hosted_zone_id, the zone the records are written to."
    }
  }
}
