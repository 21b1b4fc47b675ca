output "access_entry_arns" {
  description = "ARNs of the access entries, by group key."
  value       = { for key, entry in aws_eks_access_entry.this : key => entry.access_entry_arn }
}

output "kubernetes_groups" {
  description = "The Kubernetes groups each group's role is mapped to, by group key."
  value       = { for key, entry in aws_eks_access_entry.this : key => entry.kubernetes_groups }
}

output "access_policies" {
  description = "The access policy associated with each group that has one, and its scope, by group key."
  value = { for key, association in aws_eks_access_policy_association.this : key => {
    policy_arn = association.policy_arn
    scope      = association.access_scope[0].type
    namespaces = association.access_scope[0].namespaces
  } }
}
