# One IAM role per access group of platform/tenants.yaml (a team level, or a cluster level of the platform team):
# assumable only by the group's members, with MFA for people, and only with the session tag `team` set to the
# group's team (which CloudTrail records with every call of the session). EKS maps the role to the group's
# Kubernetes group (eks-access stack; aws-auth without access entries); in AWS it may only describe its cluster.

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "Members"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.members
    }

    # Requires the tag on the request: a session without `team` = <team> is refused.
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/team"
      values   = [var.team]
    }

    dynamic "condition" {
      for_each = var.require_mfa ? [true] : []
      content {
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["true"]
      }
    }
  }

  # Passing session tags is its own permission: only `team`, only with the group's team as its value.
  statement {
    sid     = "TeamSessionTag"
    actions = ["sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = var.members
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/team"
      values   = [var.team]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["team"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                  = var.name
  description           = var.description
  assume_role_policy    = data.aws_iam_policy_document.assume.json
  permissions_boundary  = var.permissions_boundary_arn
  max_session_duration  = var.max_session_hours * 3600
  force_detach_policies = true

  tags = merge(var.tags, { Name = var.name, team = var.team })
}

# In AWS the role only finds its cluster (`aws eks update-kubeconfig`); what it may do inside the cluster is the
# Kubernetes RBAC of its group. `aws eks get-token` needs no permission.
data "aws_iam_policy_document" "cluster" {
  statement {
    sid       = "DescribeCluster"
    actions   = ["eks:DescribeCluster"]
    resources = [var.cluster_arn]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "describe-cluster"
  role   = aws_iam_role.this.name
  policy = data.aws_iam_policy_document.cluster.json
}
