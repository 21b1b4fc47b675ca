# Permission documents of the plan and deploy roles. Regional services are limited to this account and region
# (in the ARN where the action supports resource-level permissions, with aws:RequestedRegion where it does not);
# names are limited to the platform's prefix wherever the resource has a name.

locals {
  arn_prefix = "arn:${local.partition}"

  state_bucket_arn  = "${local.arn_prefix}:s3:::${var.state_bucket_name}"
  state_objects_arn = "${local.state_bucket_arn}/${var.state_key_prefix}*"
  state_locks_arn   = "${local.state_bucket_arn}/${var.state_key_prefix}*.tflock"

  secrets_arn = "${local.arn_prefix}:secretsmanager:${local.region}:${local.account_id}:secret:${var.secrets_prefix}*"
  kms_keys    = "${local.arn_prefix}:kms:${local.region}:${local.account_id}:key/*"

  iam_roles    = "${local.arn_prefix}:iam::${local.account_id}:role/${var.name_prefix}-*"
  iam_policies = "${local.arn_prefix}:iam::${local.account_id}:policy/${var.name_prefix}-*"

  # The AWS-managed policies the platform's modules attach (eks-cluster-role, node-group), then the account's own.
  attachable_policy_arns = concat(
    [
      "${local.arn_prefix}:iam::aws:policy/AmazonEKS*",
      "${local.arn_prefix}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "${local.arn_prefix}:iam::aws:policy/AmazonSSMManagedInstanceCore",
      local.iam_policies,
    ],
    var.attachable_policy_arns,
  )

  # The CI roles themselves, which the deploy role must never change (it would widen its own rights).
  github_role_arns = [
    "${local.arn_prefix}:iam::${local.account_id}:role/${local.plan_role_name}",
    "${local.arn_prefix}:iam::${local.account_id}:role/${local.deploy_role_name}",
  ]
  github_policy_arns = ["${local.arn_prefix}:iam::${local.account_id}:policy/${local.deploy_role_name}-*"]
}

# ---------------------------------------------------------------------------------------------------------------
# Plan role (on top of ReadOnlyAccess)
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "plan" {
  statement {
    sid       = "StateBucketList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "StateRead"
    actions   = ["s3:GetObject"]
    resources = [local.state_objects_arn]
  }

  statement {
    sid       = "StateLockFilesOnly"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_locks_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateEncryption"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.plan_can_read_secret_values ? [1] : []
    content {
      sid       = "PlatformSecretValues"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [local.secrets_arn]
    }
  }

  dynamic "statement" {
    for_each = var.plan_can_read_secret_values ? [1] : []
    content {
      sid       = "PlatformSecretDecryption"
      actions   = ["kms:Decrypt"]
      resources = [local.kms_keys]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:SecretARN"
        values   = [local.secrets_arn]
      }
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Deploy role
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "deploy_state" {
  statement {
    sid       = "StateBucketList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "StateReadWrite"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.state_objects_arn]
  }

  statement {
    sid       = "StateDeleteLockFilesOnly"
    actions   = ["s3:DeleteObject"]
    resources = [local.state_locks_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateEncryption"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = length(var.ecr_repository_names) == 0 ? [] : [1]
    content {
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.ecr_repository_names) == 0 ? [] : [1]
    content {
      sid = "EcrPushCiImage"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      resources = [for name in var.ecr_repository_names : "${local.arn_prefix}:ecr:${local.region}:${local.account_id}:repository/${name}"]
    }
  }
}

data "aws_iam_policy_document" "deploy_network" {
  #checkov:skip=CKV_AWS_356:EC2 resources get their IDs on creation and many actions lack resource-level permissions: writes are limited to this region by condition.
  statement {
    sid       = "Ec2Read"
    actions   = ["ec2:Describe*", "ec2:GetLaunchTemplateData"]
    resources = ["*"]
  }

  statement {
    sid = "VpcAndNodeInfrastructure"
    actions = [
      "ec2:AllocateAddress",
      "ec2:AssociateAddress",
      "ec2:AssociateRouteTable",
      "ec2:AttachInternetGateway",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:CreateFlowLogs",
      "ec2:CreateInternetGateway",
      "ec2:CreateLaunchTemplate",
      "ec2:CreateLaunchTemplateVersion",
      "ec2:CreateNatGateway",
      "ec2:CreateRoute",
      "ec2:CreateRouteTable",
      "ec2:CreateSecurityGroup",
      "ec2:CreateSubnet",
      "ec2:CreateTags",
      "ec2:CreateVpc",
      "ec2:CreateVpcEndpoint",
      "ec2:DeleteFlowLogs",
      "ec2:DeleteInternetGateway",
      "ec2:DeleteLaunchTemplate",
      "ec2:DeleteLaunchTemplateVersions",
      "ec2:DeleteNatGateway",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteRoute",
      "ec2:DeleteRouteTable",
      "ec2:DeleteSecurityGroup",
      "ec2:DeleteSubnet",
      "ec2:DeleteTags",
      "ec2:DeleteVpc",
      "ec2:DeleteVpcEndpoints",
      "ec2:DetachInternetGateway",
      "ec2:DisassociateAddress",
      "ec2:DisassociateRouteTable",
      "ec2:ModifyLaunchTemplate",
      "ec2:ModifySecurityGroupRules",
      "ec2:ModifySubnetAttribute",
      "ec2:ModifyVpcAttribute",
      "ec2:ModifyVpcEndpoint",
      "ec2:ReleaseAddress",
      "ec2:ReplaceRoute",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:RunInstances",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }
}

data "aws_iam_policy_document" "deploy_eks" {
  statement {
    sid       = "EksRead"
    actions   = ["eks:DescribeAddonVersions", "eks:ListClusters"]
    resources = ["*"]
  }

  statement {
    sid = "PlatformClusters"
    actions = [
      "eks:AssociateEncryptionConfig",
      "eks:CreateAddon",
      "eks:CreateCluster",
      "eks:CreateNodegroup",
      "eks:DeleteAddon",
      "eks:DeleteCluster",
      "eks:DeleteNodegroup",
      "eks:DescribeAddon",
      "eks:DescribeCluster",
      "eks:DescribeNodegroup",
      "eks:DescribeUpdate",
      "eks:ListAddons",
      "eks:ListNodegroups",
      "eks:ListTagsForResource",
      "eks:ListUpdates",
      "eks:TagResource",
      "eks:UntagResource",
      "eks:UpdateAddon",
      "eks:UpdateClusterConfig",
      "eks:UpdateClusterVersion",
      "eks:UpdateNodegroupConfig",
      "eks:UpdateNodegroupVersion",
    ]
    resources = [
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:cluster/${var.name_prefix}*",
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:nodegroup/${var.name_prefix}*/*/*",
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:addon/${var.name_prefix}*/*/*",
    ]
  }
}

data "aws_iam_policy_document" "deploy_identity" {
  statement {
    sid = "PlatformRoles"
    actions = [
      "iam:DeleteRole",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.iam_roles]
  }

  # What can change a role's permissions; with managed_role_permissions_boundary_arn, only on roles bounded by it.
  statement {
    sid = "PlatformRolePermissions"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = [local.iam_roles]

    dynamic "condition" {
      for_each = var.managed_role_permissions_boundary_arn == null ? [] : [var.managed_role_permissions_boundary_arn]
      content {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = [condition.value]
      }
    }
  }

  statement {
    sid       = "PlatformRoleAttachments"
    actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
    resources = [local.iam_roles]

    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values   = local.attachable_policy_arns
    }

    dynamic "condition" {
      for_each = var.managed_role_permissions_boundary_arn == null ? [] : [var.managed_role_permissions_boundary_arn]
      content {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = [condition.value]
      }
    }
  }

  statement {
    sid       = "PassPlatformRolesToPlatformServices"
    actions   = ["iam:PassRole"]
    resources = [local.iam_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["eks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com"]
    }
  }

  statement {
    sid = "PlatformPolicies"
    actions = [
      "iam:CreatePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:ListPolicyVersions",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ]
    resources = [local.iam_policies]
  }

  statement {
    sid       = "ReadAttachedManagedPolicies"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion"]
    resources = ["${local.arn_prefix}:iam::aws:policy/*"]
  }

  statement {
    sid = "ClusterOidcProviders"
    actions = [
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:GetOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
    ]
    resources = ["${local.arn_prefix}:iam::${local.account_id}:oidc-provider/oidc.eks.${local.region}.amazonaws.com/id/*"]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["${local.arn_prefix}:iam::${local.account_id}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "rds.amazonaws.com", "autoscaling.amazonaws.com"]
    }
  }

  # The CI roles are created by an administrator (bootstrap); the deploy role may read but never change them.
  statement {
    sid    = "NeverChangeTheCiRoles"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:DeleteRole",
      "iam:DeleteRolePermissionsBoundary",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
      "iam:SetDefaultPolicyVersion",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = concat(local.github_role_arns, local.github_policy_arns)
  }

  statement {
    sid       = "KmsCreateKeys"
    actions   = ["kms:CreateKey", "kms:ListAliases", "kms:ListKeys"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  statement {
    sid = "KmsManageKeys"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:DescribeKey",
      "kms:EnableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ]
    resources = [local.kms_keys]
  }

  statement {
    sid       = "KmsPlatformAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [local.kms_keys, "${local.arn_prefix}:kms:${local.region}:${local.account_id}:alias/${var.name_prefix}-*"]
  }

  # EKS (secrets envelope encryption) and RDS (storage) take grants on the keys they are given.
  statement {
    sid       = "KmsGrantsForAwsServices"
    actions   = ["kms:CreateGrant"]
    resources = [local.kms_keys]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

data "aws_iam_policy_document" "deploy_data" {
  statement {
    sid       = "DescribeLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:*"]
  }

  statement {
    sid = "DescribeRdsEngines"
    actions = [
      "rds:DescribeDBEngineVersions",
      "rds:DescribeEngineDefaultParameters",
      "rds:DescribeOrderableDBInstanceOptions",
    ]
    resources = ["*"]
  }

  statement {
    sid = "PlatformLogGroups"
    actions = [
      "logs:AssociateKmsKey",
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:DisassociateKmsKey",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
      "logs:PutRetentionPolicy",
      "logs:TagLogGroup",
      "logs:TagResource",
      "logs:UntagLogGroup",
      "logs:UntagResource",
    ]
    # /aws/vpc-flow-logs/<prefix>, /aws/eks/<prefix>/cluster, /aws/rds/instance/<prefix>-*/...
    resources = [
      "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/*/${var.name_prefix}*",
      "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/*/${var.name_prefix}*:*",
    ]
  }

  statement {
    sid = "PlatformDatabases"
    actions = [
      "rds:AddTagsToResource",
      "rds:CreateDBInstance",
      "rds:CreateDBParameterGroup",
      "rds:CreateDBSnapshot",
      "rds:CreateDBSubnetGroup",
      "rds:DeleteDBInstance",
      "rds:DeleteDBParameterGroup",
      "rds:DeleteDBSnapshot",
      "rds:DeleteDBSubnetGroup",
      "rds:DescribeDBInstances",
      "rds:DescribeDBParameterGroups",
      "rds:DescribeDBParameters",
      "rds:DescribeDBSnapshots",
      "rds:DescribeDBSubnetGroups",
      "rds:ListTagsForResource",
      "rds:ModifyDBInstance",
      "rds:ModifyDBParameterGroup",
      "rds:ModifyDBSubnetGroup",
      "rds:RebootDBInstance",
      "rds:RemoveTagsFromResource",
      "rds:ResetDBParameterGroup",
    ]
    resources = concat(
      [for type in ["db", "pg", "subgrp", "snapshot"] : "${local.arn_prefix}:rds:${local.region}:${local.account_id}:${type}:${var.name_prefix}*"],
      [
        # CreateDBInstance also checks the default option group of the engine.
        "${local.arn_prefix}:rds:${local.region}:${local.account_id}:og:default:*",
      ],
    )
  }

  statement {
    sid = "PlatformSecrets"
    actions = [
      "secretsmanager:CancelRotateSecret",
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteResourcePolicy",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:GetSecretValue",
      "secretsmanager:ListSecretVersionIds",
      "secretsmanager:PutResourcePolicy",
      "secretsmanager:PutSecretValue",
      "secretsmanager:RestoreSecret",
      "secretsmanager:RotateSecret",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [local.secrets_arn]
  }

  # Secret values are encrypted with the platform's KMS keys: only through Secrets Manager, only for its secrets.
  statement {
    sid       = "PlatformSecretEncryption"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.kms_keys]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = [local.secrets_arn]
    }
  }
}
