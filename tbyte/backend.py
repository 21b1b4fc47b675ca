"""The Terraform state backend in the embedded emulator: a versioned, encrypted, private S3 bucket."""

from botocore.exceptions import ClientError

LOCAL_STATE_BUCKET = "tbyte-terraform-state-local"


def ensure_state_bucket(s3, bucket: str = LOCAL_STATE_BUCKET, region: str = "eu-central-1") -> None:
    """Create the bucket if it is missing and (re)apply versioning, encryption and the public access block."""
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}],
        },
    )
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
        },
    )
