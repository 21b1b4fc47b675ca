# Permission documents of the CI roles and the role boundary. Regional services are limited to this account and
# region (in the ARN where the action supports resource-level permissions, with aws:RequestedRegion where it does
# not); names are limited to the platform's prefix wherever the resource has a name. Every "*" says why.

locals {
  arn_prefix = "arn:${local.partition}"

  state_bucket_arn  = "${local.arn_prefix}:s3:::${var.state_bucket_name}"
  state_objects_arn = "${local.state_bucket_arn}/${var.state_key_prefix}*"
  state_locks_arn   = "${local.state_bucket_arn}/${var.state_key_prefix}*.tflock"
  # Every object of the bucket, every environment's state included: what the read-only roles may never write.
  state_bucket_objects_arn = "${local.state_bucket_arn}/*"

  secrets_arn = "${local.arn_prefix}:secretsmanager:${local.region}:${local.account_id}:secret:${var.secrets_prefix}*"
  # Secrets Manager appends a hyphen and six random characters to the name of every secret.
  state_secret_arns = [for name in var.state_secret_names : "${local.arn_prefix}:secretsmanager:${local.region}:${local.account_id}:secret:${name}-??????"]

  # Keys have random ids: "key/*" is every key of the account and region, narrowed by a condition wherever used.
  kms_keys = "${local.arn_prefix}:kms:${local.region}:${local.account_id}:key/*"
  # The regions of the platform's own keys and backup vaults: this one and the backup stack's copy region (prod's
  # disaster-recovery copy); the key rules below hold in each.
  platform_regions     = distinct(concat([local.region], var.copy_regions))
  platform_kms_keys    = [for region in local.platform_regions : "${local.arn_prefix}:kms:${region}:${local.account_id}:key/*"]
  platform_kms_aliases = [for region in local.platform_regions : "${local.arn_prefix}:kms:${region}:${local.account_id}:alias/${var.name_prefix}-*"]
  # The tag modules/kms-key puts on every key it creates (tbyte:kms-alias = <alias>).
  platform_key_tag     = "tbyte:kms-alias"
  platform_key_pattern = "${var.name_prefix}-*"
  s3_service           = "s3.${local.region}.amazonaws.com"

  iam_roles    = "${local.arn_prefix}:iam::${local.account_id}:role/${var.name_prefix}-*"
  iam_policies = "${local.arn_prefix}:iam::${local.account_id}:policy/${var.name_prefix}-*"

  # The AWS-managed policies the platform's modules attach (eks-cluster-role, node-group, rds, backup), then the
  # account's own.
  attachable_policy_arns = concat(
    [
      # AmazonEKSClusterPolicy, AmazonEKSVPCResourceController, AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy.
      "${local.arn_prefix}:iam::aws:policy/AmazonEKS*",
      "${local.arn_prefix}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "${local.arn_prefix}:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "${local.arn_prefix}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      # The role AWS Backup assumes (modules/backup): backing up and restoring the selected databases.
      "${local.arn_prefix}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "${local.arn_prefix}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      local.iam_policies,
    ],
    var.attachable_policy_arns,
  )

  # The role-permission changes that carry the iam:PermissionsBoundary condition key: each is allowed only when
  # the role ends up with the boundary, and explicitly denied otherwise.
  bounded_role_actions = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
  ]

  # The CI roles, their policies and the boundary: the deploy role must never change them (it would widen its
  # own rights or those of the roles it creates).
  protected_iam_arns = concat(
    [for name in values(local.role_names) : "${local.arn_prefix}:iam::${local.account_id}:role/${name}"],
    ["${local.arn_prefix}:iam::${local.account_id}:policy/${local.role_names.deploy}-*", local.boundary_arn],
  )

  # The role modules/backup creates (`<name>-backup`, name = the prefix) for AWS Backup to assume.
  backup_role_arn = "${local.arn_prefix}:iam::${local.account_id}:role/${var.name_prefix}-backup"

  # The platform's resources of the stacks that came with issue 14, by name where the ARN has one.
  elasticache_arns = [for type in ["replicationgroup", "cluster", "parametergroup", "subnetgroup", "snapshot"] :
  "${local.arn_prefix}:elasticache:${local.region}:${local.account_id}:${type}:${var.name_prefix}*"]
  ecr_repository_arns = [for name in var.ecr_repository_names : "${local.arn_prefix}:ecr:${local.region}:${local.account_id}:repository/${name}"]
  web_acls            = "${local.arn_prefix}:wafv2:${local.region}:${local.account_id}:regional/webacl/${var.name_prefix}*/*"
  # WAF requires its log groups to be named aws-waf-logs-*; the edge stack's is aws-waf-logs-<name>.
  waf_log_groups = "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-${var.name_prefix}*"
  alarm_topics   = "${local.arn_prefix}:sns:${local.region}:${local.account_id}:${var.name_prefix}*"
  backup_vaults  = [for region in local.platform_regions : "${local.arn_prefix}:backup:${region}:${local.account_id}:backup-vault:${var.name_prefix}*"]

  # Reading a secret value or a parameter (SecureString or not).
  secret_value_actions = [
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameterHistory",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
  ]
}

# ---------------------------------------------------------------------------------------------------------------
# Pull-request role (on top of ReadOnlyAccess): no state, no decryption, no secret values, no lock files.
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "pull_request" {
  statement {
    sid       = "NoStateNoLocks"
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = [local.state_bucket_objects_arn]
  }

  # Deny on every key ("*"): a pull request decrypts nothing, whichever key encrypts it.
  statement {
    sid       = "NoDecryption"
    effect    = "Deny"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }

  # Deny on every secret and parameter ("*"): ReadOnlyAccess would otherwise read ssm:GetParameter* values.
  statement {
    sid       = "NoSecretValues"
    effect    = "Deny"
    actions   = local.secret_value_actions
    resources = ["*"]
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Plan and drift roles (on top of ReadOnlyAccess): read and decrypt the state; write nothing, not even a lock.
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "state_reader" {
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

  dynamic "statement" {
    for_each = var.state_kms_key_alias == null ? [] : [var.state_kms_key_alias]
    content {
      sid     = "StateDecryption"
      actions = ["kms:Decrypt"]
      # The state key by its alias (kms:ResourceAliases), only for S3 reading the state.
      resources = [local.kms_keys]
      condition {
        test     = "ForAnyValue:StringEquals"
        variable = "kms:ResourceAliases"
        values   = [statement.value]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local.s3_service]
      }
    }
  }

  # A plan refreshes aws_secretsmanager_secret_version with GetSecretValue: exactly the secrets whose values the
  # state (which these roles decrypt) holds anyway, nothing else.
  dynamic "statement" {
    for_each = length(local.state_secret_arns) == 0 ? [] : [1]
    content {
      sid       = "StateSecretValues"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.state_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.state_secret_arns) == 0 ? [] : [1]
    content {
      sid     = "StateSecretDecryption"
      actions = ["kms:Decrypt"]
      # Any key of the account ("key/*"), but only through Secrets Manager and only for those secrets.
      resources = [local.kms_keys]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:SecretARN"
        values   = local.state_secret_arns
      }
    }
  }

  # Plans run with -lock=false: no object of the state bucket is ever written, lock files included.
  statement {
    sid       = "NoStateOrLockWrites"
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"]
    resources = [local.state_bucket_objects_arn]
  }

  # No other secret value: every secret ("*") but the state's, and no parameter value at all.
  statement {
    sid           = "NoOtherSecretValues"
    effect        = "Deny"
    actions       = ["secretsmanager:GetSecretValue"]
    resources     = length(local.state_secret_arns) == 0 ? ["*"] : null
    not_resources = length(local.state_secret_arns) == 0 ? null : local.state_secret_arns
  }

  statement {
    sid       = "NoParameterValues"
    effect    = "Deny"
    actions   = ["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["*"] # every parameter: the platform keeps none its plans need
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Role boundary: the ceiling of every role the deploy role creates. It grants nothing by itself (a bounded role
# may do only what its own policies AND the boundary allow); it keeps those roles out of IAM, STS, S3,
# Organizations and every service the platform's workloads do not call.
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "role_boundary" {
  #checkov:skip=CKV_AWS_107:a permissions boundary is a ceiling, not a grant: a bounded role reads credentials only if its own policies say so
  #checkov:skip=CKV_AWS_108:a permissions boundary is a ceiling, not a grant: a bounded role reads data only if its own policies say so
  #checkov:skip=CKV_AWS_109:a permissions boundary is a ceiling, not a grant: no IAM write and no key management is within it
  #checkov:skip=CKV_AWS_111:a permissions boundary is a ceiling, not a grant: a bounded role writes only what its own policies grant
  #checkov:skip=CKV_AWS_356:a permissions boundary is a ceiling, not a grant: the bounded roles' own policies name the resources
  statement {
    sid = "PlatformWorkloadServices"
    # Whole services on purpose: a boundary is a ceiling, and these are exactly the services the platform's
    # roles call: EKS control plane and nodes (ec2, eks, autoscaling, elasticloadbalancing, ecr, ssm*,
    # ec2messages), the AWS Load Balancer Controller (elasticloadbalancing, acm, waf*, shield, cognito-idp), VPC
    # flow logs and RDS monitoring (logs).
    actions = [
      "acm:*",
      "autoscaling:*",
      "cognito-idp:*",
      "ec2:*",
      "ec2messages:*",
      "ecr:*",
      "eks:*",
      "elasticloadbalancing:*",
      "logs:*",
      "shield:*",
      "ssm:*",
      "ssmmessages:*",
      "waf-regional:*",
      "wafv2:*",
    ]
    resources = ["*"] # a ceiling: the bounded roles' own policies name the resources
  }

  # Using keys (which key policies bound further), never managing them.
  statement {
    sid = "KeyUse"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*", # the data-key variants EBS, EKS and Secrets Manager call
      "kms:ListGrants",
      "kms:ReEncrypt*", # ReEncryptFrom and ReEncryptTo
    ]
    resources = ["*"] # a ceiling: key policies name who may use which key
  }

  statement {
    sid       = "PlatformSecrets"
    actions   = ["secretsmanager:*"] # a ceiling: the bounded roles' own policies name the actions
    resources = [local.secrets_arn]
  }

  # The role AWS Backup assumes (modules/backup, AWSBackupServiceRolePolicyForBackup and ...ForRestores): snapshot a
  # DB instance into the vault, copy it to the copy region's vault, tag the recovery points, restore one into a NEW
  # instance. Listed, not rds:* or backup:*: no role of the platform may modify or delete a DB instance through it.
  statement {
    sid = "DatabaseBackupsAndRestores"
    actions = [
      "backup:CopyFromBackupVault",
      "backup:CopyIntoBackupVault",
      "backup:DescribeBackupVault",
      "backup:TagResource",
      "rds:AddTagsToResource",
      "rds:CopyDBSnapshot",
      "rds:CreateDBSnapshot",
      "rds:DescribeDBInstances",
      "rds:DescribeDBSnapshots",
      "rds:ListTagsForResource",
      "rds:RestoreDBInstanceFromDBSnapshot",
      "rds:RestoreDBInstanceToPointInTime",
      "tag:GetResources",
    ]
    resources = ["*"] # a ceiling: the backup role's own (AWS-managed) policies name the resources
  }

  # AWS Backup deletes the snapshots it made (awsbackup:job-...) with this role: those only, in either region.
  statement {
    sid       = "ExpireBackupSnapshots"
    actions   = ["rds:DeleteDBSnapshot"]
    resources = ["${local.arn_prefix}:rds:*:${local.account_id}:snapshot:awsbackup:*"]
  }

  statement {
    sid = "ServiceLinkedRolesAndCertificates"
    # The only IAM calls within the boundary: EKS and the load balancer controller create their service-linked
    # roles; the controller reads server certificates. No role, policy, user or key of IAM can be changed.
    actions   = ["iam:CreateServiceLinkedRole", "iam:GetServerCertificate", "iam:ListServerCertificates"]
    resources = ["*"] # service-linked role and certificate ARNs are not known in advance
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

  # The state and its lock file (S3 native locking: <key>.tflock next to the state).
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
    for_each = var.state_kms_key_alias == null ? [] : [var.state_kms_key_alias]
    content {
      sid     = "StateEncryption"
      actions = ["kms:Decrypt", "kms:GenerateDataKey"]
      # The state key by its alias (kms:ResourceAliases), only for S3 reading and writing the state.
      resources = [local.kms_keys]
      condition {
        test     = "ForAnyValue:StringEquals"
        variable = "kms:ResourceAliases"
        values   = [statement.value]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [local.s3_service]
      }
    }
  }
}

data "aws_iam_policy_document" "deploy_network" {
  #checkov:skip=CKV_AWS_356:EC2 resources get their IDs on creation and many actions lack resource-level permissions: writes are limited to this region by condition.
  statement {
    sid = "Ec2Read"
    # Describe* (every Describe call: read-only) has no resource-level permissions.
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
    # EC2 ids are random and known only after creation: every resource, in this region only.
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
    resources = ["*"] # account-wide listings: no resource-level permission
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
      # The eks-access stack: the access groups' entries and their namespace-scoped access policies.
      "eks:AssociateAccessPolicy",
      "eks:CreateAccessEntry",
      "eks:DeleteAccessEntry",
      "eks:DescribeAccessEntry",
      "eks:DisassociateAccessPolicy",
      "eks:ListAccessEntries",
      "eks:ListAssociatedAccessPolicies",
      "eks:UpdateAccessEntry",
    ]
    # The platform's clusters by name; node group, add-on and access entry names and ids ("*/*") belong to those
    # clusters.
    resources = [
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:cluster/${var.name_prefix}*",
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:nodegroup/${var.name_prefix}*/*/*",
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:addon/${var.name_prefix}*/*/*",
      "${local.arn_prefix}:eks:${local.region}:${local.account_id}:access-entry/${var.name_prefix}*/*",
    ]
  }

  statement {
    sid       = "AccessPoliciesRead"
    actions   = ["eks:ListAccessPolicies"]
    resources = ["*"] # the AWS-managed access policies: no resource-level permission
  }
}

data "aws_iam_policy_document" "deploy_identity" {
  statement {
    sid = "PlatformRolesRead"
    actions = [
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
    ]
    resources = [local.iam_roles]
  }

  # What changes a role's permissions: only while the role carries the boundary (and, below, denied otherwise).
  statement {
    sid       = "BoundedRolePermissions"
    actions   = ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
    resources = [local.iam_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  statement {
    sid       = "BoundedRoleAttachments"
    actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
    resources = [local.iam_roles]

    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values   = local.attachable_policy_arns
    }

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  # These actions carry no iam:PermissionsBoundary condition key (a condition on it would never match): they are
  # bounded by the role names, the CI roles are excluded below, and every role under the prefix that the deploy
  # role can create carries the boundary, so whoever assumes it stays below IAM.
  statement {
    sid = "PlatformRolesMaintenance"
    actions = [
      "iam:DeleteRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.iam_roles]
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

  # The backup selection hands AWS Backup its role (modules/backup): that one role, to that one service.
  statement {
    sid       = "PassTheBackupRoleToAwsBackup"
    actions   = ["iam:PassRole"]
    resources = [local.backup_role_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["backup.amazonaws.com"]
    }
  }

  # No iam:PermissionsBoundary key on these either: a managed policy changes nothing until it is attached, and
  # attaching (above) requires the boundary; the CI roles' policies and the boundary are excluded below.
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
    resources = ["${local.arn_prefix}:iam::aws:policy/*"] # AWS-managed policies: read-only
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
    # The EKS clusters' issuers of this region; the id is the cluster's, known only once it exists.
    resources = ["${local.arn_prefix}:iam::${local.account_id}:oidc-provider/oidc.eks.${local.region}.amazonaws.com/id/*"]
  }

  statement {
    sid     = "ServiceLinkedRoles"
    actions = ["iam:CreateServiceLinkedRole"]
    # Any service-linked role path, limited to these services by the condition.
    resources = ["${local.arn_prefix}:iam::${local.account_id}:role/aws-service-role/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      # ElastiCache (its first cache), AWS Backup (its first vault) and WAF (logging) create theirs on first use.
      values = [
        "autoscaling.amazonaws.com",
        "backup.amazonaws.com",
        "eks-nodegroup.amazonaws.com",
        "eks.amazonaws.com",
        "elasticache.amazonaws.com",
        "rds.amazonaws.com",
        "wafv2.amazonaws.com",
      ]
    }
  }

  # Explicit Deny wins over any Allow, present or future.
  statement {
    sid       = "OnlyBoundedRoles"
    effect    = "Deny"
    actions   = local.bounded_role_actions
    resources = ["*"] # every role: none may be created or given permissions without the boundary

    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.boundary_arn]
    }
  }

  statement {
    sid       = "NeverRemoveABoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    resources = ["*"] # every role and user
  }

  # The CI roles are created by an administrator (bootstrap); the deploy role may read but never change them,
  # their policies or the boundary.
  statement {
    sid    = "NeverChangeTheCiRolesOrTheBoundary"
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
      "iam:TagPolicy",
      "iam:TagRole",
      "iam:UntagPolicy",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = local.protected_iam_arns
  }
}

data "aws_iam_policy_document" "deploy_keys" {
  # Creating a key names no key: "*" is the only resource CreateKey takes. The key must carry the platform tag.
  statement {
    sid       = "CreatePlatformKeys"
    actions   = ["kms:CreateKey"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "aws:RequestTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }

    # This region and the copy region (prod's backup copies are encrypted with a key of their own region).
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = local.platform_regions
    }
  }

  # CreateKey with tags is also authorised as kms:TagResource, before the key exists ("*"): allowed only for
  # the platform tag; the Deny below keeps this from tagging a key that has another alias.
  statement {
    sid       = "TagNewPlatformKeys"
    actions   = ["kms:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "aws:RequestTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }
  }

  statement {
    sid       = "ListKeys"
    actions   = ["kms:ListAliases", "kms:ListKeys"]
    resources = ["*"] # account-wide listings: no resource-level permission
  }

  statement {
    sid       = "ReadKeys"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
    resources = local.platform_kms_keys # metadata only (key ids are random): what a refresh reads of the keys it uses
  }

  statement {
    sid = "ManagePlatformKeys"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    resources = local.platform_kms_keys # key ids are random: only keys tagged as the platform's (condition)

    condition {
      test     = "StringLike"
      variable = "aws:ResourceTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }
  }

  # An alias operation is authorised on the alias too: only the platform's aliases.
  statement {
    sid       = "PlatformAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = local.platform_kms_aliases
  }

  # EKS (secrets envelope encryption), RDS, ElastiCache (storage), ECR (images) and AWS Backup (vaults) take grants
  # on the platform's keys they are given.
  statement {
    sid       = "GrantsForAwsServices"
    actions   = ["kms:CreateGrant"]
    resources = local.platform_kms_keys # key ids are random: only the platform's keys, only for AWS resources

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:ResourceTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }
  }

  # ECR and AWS Backup retire the grants they took when a repository or vault goes; the caller needs RetireGrant
  # (it has no kms:ViaService key): only on the platform's keys, in its regions.
  statement {
    sid       = "RetireGrantsOfPlatformKeys"
    actions   = ["kms:RetireGrant"]
    resources = local.platform_kms_keys # key ids are random: only keys tagged as the platform's (condition)

    condition {
      test     = "StringLike"
      variable = "aws:ResourceTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }
  }

  # CreateBackupVault uses the vault's key on the caller's behalf: only through AWS Backup, only platform keys.
  statement {
    sid       = "BackupVaultKeys"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = local.platform_kms_keys # key ids are random: only the platform's keys, only through AWS Backup

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for region in local.platform_regions : "backup.${region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:ResourceTag/${local.platform_key_tag}"
      values   = [local.platform_key_pattern]
    }
  }

  # A key that has an alias outside the prefix (the state key, another team's key) is never the platform's, even
  # if someone tags it so.
  statement {
    sid    = "NeverAdoptOtherKeys"
    effect = "Deny"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateGrant",
      "kms:PutKeyPolicy",
      "kms:RetireGrant",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
    ]
    resources = local.platform_kms_keys # every key with another alias (condition)

    condition {
      test     = "ForAnyValue:StringNotLike"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.platform_key_pattern}"]
    }
  }
}

data "aws_iam_policy_document" "deploy_data" {
  statement {
    sid     = "DescribeLogGroups"
    actions = ["logs:DescribeLogGroups"]
    # DescribeLogGroups is authorised on every log group of the region (log-group:*).
    resources = ["${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:*"]
  }

  statement {
    sid = "DescribeRdsEngines"
    actions = [
      "rds:DescribeDBEngineVersions",
      "rds:DescribeEngineDefaultParameters",
      "rds:DescribeOrderableDBInstanceOptions",
    ]
    resources = ["*"] # engine catalogues: no resource-level permission
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
    # /aws/vpc-flow-logs/<prefix>, /aws/eks/<prefix>/cluster, /aws/rds/instance/<prefix>-*/...,
    # /aws/elasticache/<prefix>/<log type> and the WAF's aws-waf-logs-<prefix>: the platform's log groups by their
    # name prefix, with and without the :* of their streams.
    resources = [
      "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/*/${var.name_prefix}*",
      "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/*/${var.name_prefix}*:*",
      local.waf_log_groups,
      "${local.waf_log_groups}:*",
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
    # The platform's instances, parameter and subnet groups and snapshots by their name prefix.
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
    resources = [local.secrets_arn] # the environment's secrets by their name prefix
  }

  # Secret values are encrypted with the platform's KMS keys: only through Secrets Manager, only for its secrets.
  statement {
    sid       = "PlatformSecretEncryption"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [local.kms_keys] # key ids are random: narrowed by the Secrets Manager conditions

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

  # ElastiCache (the elasticache stack). A new replication group is encrypted at rest and in transit and has an
  # AUTH token, or it is refused (these keys exist only on the replication group's resource, hence a statement of
  # its own). The Redis secret is tbyte/<env>/redis, under secrets_prefix: PlatformSecrets above.
  statement {
    sid       = "CreateEncryptedPlatformCaches"
    actions   = ["elasticache:CreateReplicationGroup"]
    resources = ["${local.arn_prefix}:elasticache:${local.region}:${local.account_id}:replicationgroup:${var.name_prefix}*"]

    condition {
      test     = "Bool"
      variable = "elasticache:AtRestEncryptionEnabled"
      values   = ["true"]
    }

    condition {
      test     = "Bool"
      variable = "elasticache:TransitEncryptionEnabled"
      values   = ["true"]
    }

    condition {
      test     = "Bool"
      variable = "elasticache:AuthTokenEnabled"
      values   = ["true"]
    }
  }

  # CreateReplicationGroup is also authorised on the parameter group, the subnet group and the member clusters it
  # names: the prefix's only.
  statement {
    sid     = "PlatformCacheParts"
    actions = ["elasticache:CreateReplicationGroup"]
    resources = [for type in ["cluster", "parametergroup", "subnetgroup"] :
    "${local.arn_prefix}:elasticache:${local.region}:${local.account_id}:${type}:${var.name_prefix}*"]
  }

  statement {
    sid = "PlatformCaches"
    actions = [
      "elasticache:AddTagsToResource",
      "elasticache:CreateCacheParameterGroup",
      "elasticache:CreateCacheSubnetGroup",
      "elasticache:DecreaseReplicaCount",
      "elasticache:DeleteCacheParameterGroup",
      "elasticache:DeleteCacheSubnetGroup",
      "elasticache:DeleteReplicationGroup",
      "elasticache:DescribeCacheClusters",
      "elasticache:DescribeCacheParameterGroups",
      "elasticache:DescribeCacheParameters",
      "elasticache:DescribeCacheSubnetGroups",
      "elasticache:DescribeReplicationGroups",
      "elasticache:IncreaseReplicaCount",
      "elasticache:ListTagsForResource",
      "elasticache:ModifyCacheParameterGroup",
      "elasticache:ModifyCacheSubnetGroup",
      "elasticache:ModifyReplicationGroup",
      "elasticache:RemoveTagsFromResource",
      "elasticache:ResetCacheParameterGroup",
    ]
    # Replication groups, their member clusters (<name>-001...), parameter and subnet groups and the final snapshot
    # (<name>-final, which DeleteReplicationGroup takes) by the prefix.
    resources = local.elasticache_arns
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Deploy role, the stacks of issue 14 (ElastiCache is in `data` above): the images and their repositories, the edge
# (WAF, its logs, the certificate and records), operations (alarms, dashboard, their topic, AWS Backup). The actions
# are those hashicorp/aws 3.39 and 6.x call for the modules' resources (create, read, update, delete, tags); names
# are the prefix's wherever the ARN carries one.
# ---------------------------------------------------------------------------------------------------------------

# Present only with ecr_repository_names (the module leaves the policy out otherwise).
data "aws_iam_policy_document" "deploy_registry" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken has no resource-level permission
  }

  # The release (application.yml) pushes the built image, unchanged, to its repository.
  statement {
    sid = "EcrPushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = local.ecr_repository_arns
  }

  # The ecr stack manages the same repositories, exactly the names given (tbyte/<service> of env.hcl's services).
  statement {
    sid = "PlatformRepositories"
    actions = [
      "ecr:CreateRepository",
      "ecr:DeleteLifecyclePolicy",
      "ecr:DeleteRepository",
      "ecr:DeleteRepositoryPolicy",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:ListTagsForResource",
      "ecr:PutImageScanningConfiguration",
      "ecr:PutImageTagMutability",
      "ecr:PutLifecyclePolicy",
      "ecr:SetRepositoryPolicy",
      "ecr:TagResource",
      "ecr:UntagResource",
    ]
    resources = local.ecr_repository_arns
  }
}

data "aws_iam_policy_document" "deploy_edge" {
  statement {
    sid = "PlatformWebAcls"
    actions = [
      "wafv2:CreateWebACL",
      "wafv2:DeleteLoggingConfiguration",
      "wafv2:DeleteWebACL",
      "wafv2:GetLoggingConfiguration",
      "wafv2:GetWebACL",
      "wafv2:ListTagsForResource",
      "wafv2:TagResource",
      "wafv2:UntagResource",
      "wafv2:UpdateWebACL",
    ]
    # Regional web ACLs by name; the id after the name is random. AWS managed rule groups are referenced by vendor
    # and name, not by an ARN of this account, so no rule group resource is needed.
    resources = [local.web_acls]
  }

  # Logging of those web ACLs, only into the prefix's WAF log group.
  statement {
    sid       = "PlatformWebAclLogging"
    actions   = ["wafv2:PutLoggingConfiguration"]
    resources = [local.web_acls]

    condition {
      test     = "ArnLike"
      variable = "wafv2:LogDestinationResource"
      values   = [local.waf_log_groups]
    }
  }

  statement {
    sid       = "ManagedRuleGroupsRead"
    actions   = ["wafv2:DescribeManagedRuleGroup", "wafv2:ListAvailableManagedRuleGroups"]
    resources = ["*"] # the vendors' rule group catalogue has no resource-level permission; read-only, this region

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  # PutLoggingConfiguration makes CloudWatch Logs deliver to the log group on the caller's behalf: a log delivery
  # and the account's log resource policy that admits delivery.logs.amazonaws.com to aws-waf-logs-*.
  statement {
    sid = "WafLogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
    ]
    resources = ["*"] # log deliveries and resource policies have no resource-level permission; this region only

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  # The certificate of the environment's domain (only when env.hcl names one): requested with DNS validation for the
  # domain and its subdomains only.
  dynamic "statement" {
    for_each = var.domain_name == null ? [] : [var.domain_name]
    content {
      sid       = "RequestDomainCertificates"
      actions   = ["acm:RequestCertificate"]
      resources = ["*"] # RequestCertificate names no resource; narrowed to the domain's names, DNS validation, region

      condition {
        test     = "ForAllValues:StringLike"
        variable = "acm:DomainNames"
        values   = [statement.value, "*.${statement.value}"]
      }

      condition {
        test     = "StringEquals"
        variable = "acm:ValidationMethod"
        values   = ["DNS"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:RequestedRegion"
        values   = [local.region]
      }
    }
  }

  dynamic "statement" {
    for_each = var.domain_name == null ? [] : [var.domain_name]
    content {
      sid = "DomainCertificates"
      actions = [
        "acm:AddTagsToCertificate",
        "acm:DeleteCertificate",
        "acm:DescribeCertificate",
        "acm:ListTagsForCertificate",
        "acm:RemoveTagsFromCertificate",
      ]
      # Certificate ids are random: the account's certificates in this region (ACM refuses to delete one in use).
      resources = ["${local.arn_prefix}:acm:${local.region}:${local.account_id}:certificate/*"]
    }
  }

  # The validation and alias records: A and CNAME records of the domain's names, in the domain's hosted zone.
  dynamic "statement" {
    for_each = var.domain_name == null ? [] : [var.domain_name]
    content {
      sid     = "DomainRecords"
      actions = ["route53:ChangeResourceRecordSets"]
      # The env's zone; "*" only when no zone id is given, where the names and types below still bound it.
      resources = ["${local.arn_prefix}:route53:::hostedzone/${coalesce(var.hosted_zone_id, "*")}"]

      condition {
        test     = "ForAllValues:StringLike"
        variable = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
        values   = [statement.value, "*.${statement.value}"]
      }

      condition {
        test     = "ForAllValues:StringEquals"
        variable = "route53:ChangeResourceRecordSetsRecordTypes"
        values   = ["A", "CNAME"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.domain_name == null ? [] : [var.domain_name]
    content {
      sid       = "DomainZoneRead"
      actions   = ["route53:GetHostedZone", "route53:ListResourceRecordSets"]
      resources = ["${local.arn_prefix}:route53:::hostedzone/${coalesce(var.hosted_zone_id, "*")}"] # as above
    }
  }

  dynamic "statement" {
    for_each = var.domain_name == null ? [] : [var.domain_name]
    content {
      sid       = "RecordChanges"
      actions   = ["route53:GetChange"]
      resources = ["${local.arn_prefix}:route53:::change/*"] # change ids are random; read-only (waiting for INSYNC)
    }
  }
}

data "aws_iam_policy_document" "deploy_operations" {
  dynamic "statement" {
    for_each = length(var.metric_filter_log_groups) == 0 ? [] : [1]
    content {
      sid     = "AccessAlarmFilters"
      actions = ["logs:DeleteMetricFilter", "logs:DescribeMetricFilters", "logs:PutMetricFilter"]
      resources = flatten([for name in var.metric_filter_log_groups : [
        "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:${name}",
        "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:${name}:*",
      ]])
    }
  }

  # Alarms named after the prefix, notifying only the prefix's topics.
  statement {
    sid       = "PutPlatformAlarms"
    actions   = ["cloudwatch:PutMetricAlarm"]
    resources = ["${local.arn_prefix}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name_prefix}*"]

    condition {
      test     = "ForAllValues:StringLike"
      variable = "cloudwatch:AlarmActions"
      values   = [local.alarm_topics]
    }
  }

  statement {
    sid = "PlatformAlarms"
    actions = [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ]
    resources = ["${local.arn_prefix}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name_prefix}*"]
  }

  statement {
    sid       = "PlatformDashboards"
    actions   = ["cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard"]
    resources = ["${local.arn_prefix}:cloudwatch::${local.account_id}:dashboard/${var.name_prefix}*"] # global ARN
  }

  # The alarm topic: its attributes (KMS key, policy), tags and subscriptions.
  statement {
    sid = "PlatformTopics"
    actions = [
      "sns:CreateTopic",
      "sns:DeleteTopic",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
      "sns:TagResource",
      "sns:UntagResource",
    ]
    resources = [local.alarm_topics]
  }

  statement {
    sid       = "TopicSubscriptions"
    actions   = ["sns:GetSubscriptionAttributes", "sns:Unsubscribe"]
    resources = ["*"] # subscription actions have no resource-level permission; this region only

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  # AWS Backup (the backup stack): the vault and, in prod, the copy region's vault; access policy, notifications, tags.
  statement {
    sid = "PlatformBackupVaults"
    actions = [
      "backup:CreateBackupVault",
      "backup:DeleteBackupVault",
      "backup:DeleteBackupVaultAccessPolicy",
      "backup:DeleteBackupVaultNotifications",
      "backup:DescribeBackupVault",
      "backup:GetBackupVaultAccessPolicy",
      "backup:GetBackupVaultNotifications",
      "backup:ListTags",
      "backup:PutBackupVaultAccessPolicy",
      "backup:PutBackupVaultNotifications",
      "backup:TagResource",
      "backup:UntagResource",
    ]
    resources = local.backup_vaults
  }

  # CreateBackupVault mounts the vault's storage; the action names no resource.
  statement {
    sid       = "BackupVaultStorage"
    actions   = ["backup-storage:MountCapsule"]
    resources = ["*"] # no resource-level permission: the vault's regions only

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = local.platform_regions
    }
  }

  statement {
    sid = "BackupPlansAndSelections"
    actions = [
      "backup:CreateBackupPlan",
      "backup:CreateBackupSelection",
      "backup:DeleteBackupPlan",
      "backup:DeleteBackupSelection",
      "backup:GetBackupPlan",
      "backup:GetBackupSelection",
      "backup:ListTags",
      "backup:TagResource",
      "backup:UntagResource",
      "backup:UpdateBackupPlan",
    ]
    # A plan's ARN ends in its random id, not its name: the account's plans in this region. A selection can hand
    # AWS Backup only the backup role (PassTheBackupRoleToAwsBackup, identity policy).
    resources = ["${local.arn_prefix}:backup:${local.region}:${local.account_id}:backup-plan:*"]
  }
}
