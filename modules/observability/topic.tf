# The alarm topic: encrypted with the module's key, published to by CloudWatch alarms and AWS Backup vault
# notifications of this account, over TLS only; its subscriptions come from the environment.

locals {
  publisher_services = ["cloudwatch.amazonaws.com", "backup.amazonaws.com"]
}

module "key" {
  source = "../kms-key"

  alias             = "${var.name}-alarms"
  description       = "${var.name} alarm topic"
  usage_policy_json = data.aws_iam_policy_document.key_use.json
  tags              = var.tags
}

data "aws_iam_policy_document" "key_use" {
  #checkov:skip=CKV_AWS_111:key policy: "*" is the key itself; the publishing services may only encrypt messages for this account
  #checkov:skip=CKV_AWS_356:key policy: "*" is the key itself, it cannot name its own ARN before it exists
  # CloudWatch (alarms) and AWS Backup (vault notifications) encrypt this account's messages for the encrypted topic.
  statement {
    sid       = "AwsServicesPublish"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = local.publisher_services
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  # Principals of this account use the key only through SNS (publishing to and delivering from the topic).
  statement {
    sid       = "UseThroughSns"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sns.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  display_name      = "${var.name} alarms"
  kms_master_key_id = module.key.key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AwsServicesOfThisAccountPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = local.publisher_services
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  # The account keeps managing its topic (the default topic policy's owner statement, narrowed to the account).
  statement {
    sid = "AccountManages"
    actions = [
      "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
      "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
    ]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    # The account's own principals only, said outright (no cross-account access, checkov CKV_AWS_385).
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  # "*" is who is denied: nobody may publish or subscribe without TLS.
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["sns:Publish", "sns:Subscribe"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "alarms" {
  for_each = { for subscription in var.alarm_subscriptions : "${subscription.protocol}:${subscription.endpoint}" => subscription }

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
