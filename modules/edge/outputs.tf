output "web_acl_arn" {
  description = "ARN of the web ACL: the value of the Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_id" {
  description = "ID of the web ACL."
  value       = aws_wafv2_web_acl.this.id
}

output "web_acl_name" {
  description = "Name of the web ACL (the WebACL dimension of its CloudWatch metrics)."
  value       = aws_wafv2_web_acl.this.name
}

output "log_group_name" {
  description = "Log group of the WAF logs."
  value       = aws_cloudwatch_log_group.this.name
}

output "certificate_arn" {
  description = "ARN of the validated ACM certificate (the Ingress annotation alb.ingress.kubernetes.io/certificate-arn); null without domain_name."
  value       = one(aws_acm_certificate_validation.this[*].certificate_arn)
}

output "domain_name" {
  description = "Domain of the environment, or null."
  value       = var.domain_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the WAF logs."
  value       = module.key.key_arn
}
