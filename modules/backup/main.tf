# AWS Backup for the environment's databases: a KMS-encrypted vault, a plan with a daily (or as scheduled) rule and
# its retention, an optional copy of every recovery point to a vault in a second region (required in prod), the
# selection of the resources to back up, and notifications of failed jobs.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_region" "copy" {
  provider = aws.copy
}

locals {
  copy = var.copy_region != null

  vault_policy_actions = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]
}

resource "aws_backup_vault" "this" {
  name        = var.name
  kms_key_arn = module.key.key_arn

  tags = merge(var.tags, { Name = var.name })
}

# Recovery points expire by their lifecycle only: nobody, administrators included, can delete them or shorten their
# lifecycle through the API ("*" is who is denied). Provider 3.x has no vault lock (see README).
data "aws_iam_policy_document" "vault" {
  statement {
    sid       = "RecoveryPointsExpireOnlyByTheirLifecycle"
    effect    = "Deny"
    actions   = local.vault_policy_actions
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_backup_vault_policy" "this" {
  count = var.protect_recovery_points ? 1 : 0

  backup_vault_name = aws_backup_vault.this.name
  policy            = data.aws_iam_policy_document.vault.json
}

resource "aws_backup_plan" "this" {
  name = var.name

  rule {
    rule_name         = "${var.name}-${var.rule_name}"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule
    start_window      = var.start_window_minutes
    completion_window = var.completion_window_minutes

    lifecycle {
      delete_after = var.retention_days
    }

    dynamic "copy_action" {
      for_each = local.copy ? [1] : []
      content {
        destination_vault_arn = aws_backup_vault.copy[0].arn
        lifecycle {
          delete_after = var.copy_retention_days
        }
      }
    }

    recovery_point_tags = merge(var.tags, { backup-plan = var.name })
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    precondition {
      condition     = var.environment != "prod" || local.copy
      error_message = "In prod the backups must be copied to a second region (copy_region)."
    }
    precondition {
      condition     = !local.copy || var.copy_region != data.aws_region.current.name
      error_message = "copy_region must differ from the region of the backups."
    }
    precondition {
      condition     = !local.copy || data.aws_region.copy.name == var.copy_region
      error_message = "The aws.copy provider must be configured for copy_region."
    }
  }
}

resource "aws_backup_selection" "this" {
  name         = "${var.name}-databases"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = var.resource_arns
}

resource "aws_backup_vault_notifications" "this" {
  count = var.notifications == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  sns_topic_arn       = var.notifications.topic_arn
  backup_vault_events = var.notifications.events
}
