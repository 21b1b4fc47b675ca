# One private repository per service of the environment: immutable tags, scan on push, encrypted with the
# module's KMS key, a lifecycle policy and a repository policy that lets only the CI deploy role push and the
# nodes pull.

locals {
  repositories = { for service in var.services : service => "${var.namespace}/${service}" }

  # Writing an image (the deny below covers exactly these); a push also reads, with the pull actions.
  push_actions = [
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
  ]
  pull_actions = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
  ]

  # Untagged images (layers of superseded builds) go first; of the tagged ones the newest keep_tagged_images stay.
  lifecycle_policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images ${var.untagged_image_expiry_days} days after their push"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_image_expiry_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the ${var.keep_tagged_images} most recent tagged images"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = ["*"]
          countType      = "imageCountMoreThan"
          countNumber    = var.keep_tagged_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

resource "aws_ecr_repository" "this" {
  for_each = local.repositories

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.key_arn
  }

  tags = merge(var.tags, { Name = each.value, service = each.key })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy     = local.lifecycle_policy
}

data "aws_iam_policy_document" "repository" {
  dynamic "statement" {
    for_each = length(var.pull_principal_arns) > 0 ? [1] : []
    content {
      sid     = "NodesPull"
      actions = local.pull_actions
      principals {
        type        = "AWS"
        identifiers = var.pull_principal_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.push_principal_arns) > 0 ? [1] : []
    content {
      sid     = "DeployRolePush"
      actions = distinct(concat(local.push_actions, local.pull_actions))
      principals {
        type        = "AWS"
        identifiers = var.push_principal_arns
      }
    }
  }

  # An identity policy of the account could grant push to anyone else: this denies it to every principal that is
  # not a push principal ("*" here is who is denied, not who is allowed).
  statement {
    sid     = "DenyPushToOthers"
    effect  = "Deny"
    actions = local.push_actions
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    dynamic "condition" {
      for_each = length(var.push_principal_arns) > 0 ? [1] : []
      content {
        test     = "StringNotEquals"
        variable = "aws:PrincipalArn"
        values   = var.push_principal_arns
      }
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy     = data.aws_iam_policy_document.repository.json
}
