# Roles that may read the connection secret (the application's IRSA role): this secret and its key, nothing else.
# The role is managed elsewhere (modules/iam); this inline policy is a separate resource, so the role keeps its own
# policies and loses this one when the cache is destroyed.

data "aws_iam_policy_document" "read_secret" {
  statement {
    sid       = "ReadRedisSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.this.arn]
  }

  statement {
    sid       = "DecryptRedisSecret"
    actions   = ["kms:Decrypt"]
    resources = [module.key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:SecretARN"
      values   = [aws_secretsmanager_secret.this.arn]
    }
  }
}

# Keyed by a label known at plan time (the role names may be unknown until the roles exist).
resource "aws_iam_role_policy" "read_secret" {
  for_each = var.secret_reader_roles

  name   = "${var.name}-redis-secret-read"
  role   = each.value
  policy = data.aws_iam_policy_document.read_secret.json
}
