output "node_group_ids" {
  description = "IDs (`<cluster>:<group>`) of the node groups, by group name."
  value       = { for name, group in aws_eks_node_group.this : name => group.id }
}

output "node_group_arns" {
  description = "ARNs of the node groups, by group name."
  value       = { for name, group in aws_eks_node_group.this : name => group.arn }
}

output "node_group_statuses" {
  description = "Statuses of the node groups (ACTIVE when healthy), by group name."
  value       = { for name, group in aws_eks_node_group.this : name => group.status }
}

output "node_group_autoscaling_group_names" {
  description = "Auto Scaling groups behind each node group, by group name (EKS tags them for cluster-autoscaler auto-discovery)."
  value       = { for name, group in aws_eks_node_group.this : name => flatten([for resource in group.resources : resource.autoscaling_groups[*].name]) }
}

output "node_role_arn" {
  description = "ARN of the node IAM role (map it in the cluster's access entries / aws-auth)."
  value       = aws_iam_role.node.arn
}

output "node_role_name" {
  description = "Name of the node IAM role."
  value       = aws_iam_role.node.name
}

output "node_security_group_id" {
  description = "ID of the node security group; other stacks admit the nodes by it (for example PostgreSQL on 5432)."
  value       = aws_security_group.node.id
}

output "launch_template_ids" {
  description = "IDs of the launch templates, by group name."
  value       = { for name, template in aws_launch_template.this : name => template.id }
}

output "launch_template_latest_versions" {
  description = "Latest versions of the launch templates (the versions the node groups run), by group name."
  value       = { for name, template in aws_launch_template.this : name => template.latest_version }
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the nodes' root volumes."
  value       = module.ebs_key.key_arn
}
