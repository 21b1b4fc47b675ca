variable "cluster_name" {
  description = "Name of the EKS cluster the node groups join; also the name prefix of the module's resources."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{1,58}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name of 2-59 letters, digits, hyphens and underscores starting with a letter or digit (the node role is named <cluster_name>-node, at most 64 characters)."
  }
}

variable "cluster_version" {
  description = "Kubernetes version (`1.31`) of the nodes. Null follows the cluster's version at creation; set it to upgrade the nodes after the control plane."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_version == null ? true : can(regex("^1\\.[0-9]{2}$", var.cluster_version))
    error_message = "cluster_version must be a Kubernetes minor version such as 1.31, or null."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster; the node security group is created in it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets the node groups launch into, unless a group lists its own `subnet_ids`."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must list at least one subnet, without duplicates."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Every entry of subnet_ids must be a subnet ID such as subnet-0123456789abcdef0."
  }
}

variable "cluster_security_group_id" {
  description = "The EKS-managed cluster security group (the cluster's `vpc_config[0].cluster_security_group_id`); attached to every node so that the control plane reaches the kubelets and webhooks."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.cluster_security_group_id))
    error_message = "cluster_security_group_id must be a security group ID such as sg-0123456789abcdef0."
  }
}

variable "node_groups" {
  description = "Managed node groups by name: instance_types, capacity_type (ON_DEMAND or SPOT), min_size, desired_size (initial only; the cluster autoscaler owns it afterwards), max_size, disk_size_gb (gp3 root volume), Kubernetes labels, taints (effect NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE), subnet_ids (null: the module's) and ami_type (null: the EKS default for the cluster version)."
  type = map(object({
    instance_types = list(string)
    capacity_type  = optional(string, "ON_DEMAND")
    min_size       = number
    desired_size   = number
    max_size       = number
    disk_size_gb   = optional(number, 50)
    labels         = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
    subnet_ids = optional(list(string))
    ami_type   = optional(string)
  }))

  validation {
    condition     = length(var.node_groups) > 0
    error_message = "node_groups must define at least one node group."
  }

  validation {
    condition     = alltrue([for name in keys(var.node_groups) : can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$", name))])
    error_message = "Each key of node_groups must be a node group name of 1-63 letters, digits, hyphens and underscores, starting with a letter or digit."
  }

  validation {
    condition     = alltrue([for group in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], group.capacity_type)])
    error_message = "capacity_type of every node group must be ON_DEMAND or SPOT."
  }

  validation {
    condition = alltrue([
      for group in values(var.node_groups) :
      floor(group.min_size) == group.min_size && floor(group.desired_size) == group.desired_size && floor(group.max_size) == group.max_size &&
      group.min_size >= 0 && group.min_size <= group.desired_size && group.desired_size <= group.max_size && group.max_size >= 1
    ])
    error_message = "Every node group needs whole numbers with 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }

  validation {
    condition = alltrue([
      for group in values(var.node_groups) :
      length(group.instance_types) >= 1 && length(group.instance_types) <= 20 && length(distinct(group.instance_types)) == length(group.instance_types)
    ])
    error_message = "instance_types of every node group must list 1 to 20 distinct instance types."
  }

  validation {
    condition = alltrue(flatten([
      for group in values(var.node_groups) : [
        for type in group.instance_types : can(regex("^[a-z]+-?[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$", type))
      ]
    ]))
    error_message = "Every entry of instance_types must be an EC2 instance type such as m6i.large, t3.medium or c7g.2xlarge."
  }

  validation {
    condition = alltrue([
      for group in values(var.node_groups) : floor(group.disk_size_gb) == group.disk_size_gb && group.disk_size_gb >= 20 && group.disk_size_gb <= 16384
    ])
    error_message = "disk_size_gb of every node group must be a whole number of GiB from 20 (the EKS AMIs need it) to 16384 (the gp3 maximum)."
  }

  validation {
    condition = alltrue(flatten([
      for group in values(var.node_groups) : [
        for key, value in group.labels :
        can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", key)) &&
        can(regex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", value))
      ]
    ]))
    error_message = "Every label must have a Kubernetes label key ([prefix/]name, name at most 63 characters) and a label value (at most 63 letters, digits, '-', '_', '.')."
  }

  validation {
    condition = alltrue(flatten([
      for group in values(var.node_groups) : [
        for taint in group.taints : contains(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], taint.effect)
      ]
    ]))
    error_message = "The effect of every taint must be NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."
  }

  validation {
    condition = alltrue(flatten([
      for group in values(var.node_groups) : [
        for taint in group.taints :
        can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", taint.key)) &&
        (taint.value == null ? true : can(regex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", taint.value)))
      ]
    ]))
    error_message = "Every taint must have a Kubernetes key ([prefix/]name, name at most 63 characters) and an optional value of at most 63 letters, digits, '-', '_', '.'."
  }

  validation {
    condition = alltrue([
      for group in values(var.node_groups) : length(group.taints) <= 50 && length(distinct([for taint in group.taints : "${taint.key}:${taint.effect}"])) == length(group.taints)
    ])
    error_message = "A node group may have at most 50 taints, and no two with the same key and effect."
  }

  validation {
    condition = alltrue([
      for group in values(var.node_groups) :
      group.subnet_ids == null ? true : (length(group.subnet_ids) > 0 && alltrue([for id in group.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))]))
    ])
    error_message = "subnet_ids of a node group must be null (the module's subnets) or a non-empty list of subnet IDs."
  }

  validation {
    condition     = alltrue([for group in values(var.node_groups) : group.ami_type == null ? true : contains(["AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64"], group.ami_type)])
    error_message = "ami_type of a node group must be null (the EKS default for the cluster version) or one of AL2_x86_64, AL2_x86_64_GPU, AL2_ARM_64 (the types hashicorp/aws 3.39 accepts)."
  }
}

variable "vpc_cni_uses_irsa" {
  description = "True when the VPC CNI (aws-node) has its own role through IRSA or EKS Pod Identity; the node role then does not get AmazonEKS_CNI_Policy. False (default) attaches it, because without it aws-node cannot assign pod IPs and new nodes never become Ready."
  type        = bool
  default     = false
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as the permissions boundary of the node role (the platform's role boundary, which the GitHub deploy role requires on every role it creates). Null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be the ARN of an IAM policy (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags added to every resource, and propagated to the instances and volumes of the nodes (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}
