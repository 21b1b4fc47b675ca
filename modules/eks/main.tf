data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  log_group_name = "/aws/eks/${var.name}/cluster"
  log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"

  oidc_issuer_url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

module "cluster_role" {
  source = "../iam/modules/eks-cluster-role"

  name                     = var.name
  permissions_boundary_arn = var.cluster_role_permissions_boundary_arn
  tags                     = var.tags
}

resource "aws_eks_cluster" "this" {
  name                      = var.name
  role_arn                  = module.cluster_role.role_arn
  version                   = var.kubernetes_version
  enabled_cluster_log_types = var.enabled_log_types

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = [aws_security_group.cluster.id]
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    # Without explicit CIDRs AWS opens a public endpoint to 0.0.0.0/0; the precondition below requires them.
    public_access_cidrs = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  # Envelope encryption of Kubernetes secrets with the module's key.
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.secrets_key.key_arn
    }
  }

  dynamic "kubernetes_network_config" {
    for_each = var.service_ipv4_cidr == null ? [] : [var.service_ipv4_cidr]
    content {
      service_ipv4_cidr = kubernetes_network_config.value
    }
  }

  tags = merge(var.tags, { Name = var.name, Environment = var.environment })

  # EKS would create the log group itself (unencrypted, kept forever) if it did not exist yet.
  depends_on = [aws_cloudwatch_log_group.this]

  lifecycle {
    precondition {
      condition     = !(var.environment == "prod" && var.endpoint_public_access)
      error_message = "The public API endpoint must be off in prod: set endpoint_public_access = false and reach the API through the private endpoint (VPN, bastion or in-VPC runners)."
    }

    precondition {
      condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
      error_message = "endpoint_public_access = true needs public_access_cidrs: without them AWS opens the public endpoint to 0.0.0.0/0."
    }
  }
}

# IAM OIDC identity provider for IRSA (IAM roles for service accounts).
resource "aws_iam_openid_connect_provider" "this" {
  url             = local.oidc_issuer_url
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [for t in var.oidc_thumbprints : lower(t)]

  tags = merge(var.tags, { Name = "${var.name}-irsa" })
}
