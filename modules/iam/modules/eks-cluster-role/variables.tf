variable "name" {
  description = "Name of the EKS cluster the role serves; the role is called `<name>-eks-cluster`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,50}[a-zA-Z0-9]$", var.name))
    error_message = "name must be 3-52 characters of letters, digits and hyphens, starting with a letter (the role name adds -eks-cluster, 64 characters at most)."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM policy to set as the role's permissions boundary. Null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags added to the role (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
