output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate of the cluster's CA (for kubeconfig and the kubernetes/helm providers)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_security_group_id" {
  description = "Security group EKS creates and manages for the cluster (control plane and managed nodes talk through it)."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "additional_security_group_id" {
  description = "Additional security group the module attaches to the control plane (API ingress on 443 from the allowed CIDRs and security groups)."
  value       = aws_security_group.cluster.id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC identity provider, the federated principal of IRSA role trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/<id>)."
  value       = local.oidc_issuer_url
}

output "oidc_issuer" {
  description = "OIDC issuer without https://, the prefix of the condition keys of IRSA trust policies (<issuer>:sub, <issuer>:aud)."
  value       = replace(local.oidc_issuer_url, "https://", "")
}

output "kms_key_arn" {
  description = "ARN of the KMS key that envelope-encrypts the Kubernetes secrets."
  value       = module.secrets_key.key_arn
}

output "logs_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the control-plane log group."
  value       = module.logs_key.key_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the control-plane logs."
  value       = aws_cloudwatch_log_group.this.name
}

output "cluster_role_arn" {
  description = "ARN of the IAM role of the control plane."
  value       = module.cluster_role.role_arn
}

output "cluster_role_name" {
  description = "Name of the IAM role of the control plane."
  value       = module.cluster_role.role_name
}

output "addons" {
  description = "Installed managed add-ons by name, with their versions."
  value       = { for name, addon in aws_eks_addon.this : name => addon.addon_version }
}

output "addon_role_arns" {
  description = "IRSA roles the module created for its add-ons (aws-ebs-csi-driver, vpc-cni, amazon-cloudwatch-observability), by add-on name."
  value       = { for name, role in module.addon_role : name => role.role_arn }
}

output "addon_configuration_values" {
  description = "The configuration (JSON) each add-on is sent by the environments on hashicorp/aws 6.x (provider-6/addons_override.tf), by add-on name; vpc-cni's enables network-policy enforcement."
  value       = local.addon_configuration_values
}
