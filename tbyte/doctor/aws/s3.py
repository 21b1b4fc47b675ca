"""B2 "access denied on S3" (AWS010-AWS014): for every bucket of the environment and every role of it that an
identity policy lets read or write the bucket, what else stands in the way: a Deny of the bucket policy, the
permissions boundary, the KMS key of the bucket's default encryption, the VPC's S3 endpoint policy (for roles
used inside the VPC; and for the nodes, the bucket ECR serves image layers from), Block Public Access."""

from __future__ import annotations

import json

from tbyte.doctor.actions import AwsCall
from tbyte.doctor.aws import policies
from tbyte.doctor.aws.inventory import ECR_LAYERS, Inventory
from tbyte.doctor.aws.policies import Principal
from tbyte.doctor.findings import Finding
from tbyte.infra.backend import unless_missing

ACTIONS = {"s3:GetObject": "kms:Decrypt", "s3:PutObject": "kms:GenerateDataKey", "s3:ListBucket": None}
MISSING = ("NoSuchBucketPolicy", "ServerSideEncryptionConfigurationNotFoundError",
           "NoSuchPublicAccessBlockConfiguration", "NoSuchTagSet", "NoSuchBucket")
FULL_ACCESS = {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
                                                       "Resource": "*"}]}
IN_VPC_SERVICES = ("ec2.amazonaws.com", "lambda.amazonaws.com")


def _get(call, **arguments):
    return unless_missing(call, MISSING, **arguments)


def buckets(inventory: Inventory) -> list[str]:
    """The state bucket and every bucket tagged with the environment."""
    s3 = inventory.client("s3")
    found = [inventory.env.values["state_bucket"]] if inventory.env.values.get("state_bucket") else []
    for bucket in s3.list_buckets().get("Buckets", []):
        tagging = _get(s3.get_bucket_tagging, Bucket=bucket["Name"]) or {}
        if {t["Key"]: t["Value"] for t in tagging.get("TagSet", [])}.get("environment") == inventory.env.name:
            found.append(bucket["Name"])
    return sorted(set(found))


def identity_documents(role: dict) -> list:
    return [*role["Inline"].values(), *role["Attached"].values()]


def identity_allows(role: dict, action: str, resource: str) -> bool:
    who = principal(role)
    documents = identity_documents(role)
    return any(policies.matching(doc, "Allow", action, resource, who, certain=False) for doc in documents) and \
        not any(policies.matching(doc, "Deny", action, resource, who) for doc in documents)


def principal(role: dict) -> Principal:
    return Principal(arn=role["Arn"], account=role["Arn"].split(":")[4])


def used_in_vpc(role: dict) -> bool:
    """IRSA roles (trusted through the cluster's OIDC provider) and roles of instances and VPC functions."""
    for statement in policies.statements(role.get("AssumeRolePolicyDocument") or {}):
        entries = statement.get("Principal") or {}
        if isinstance(entries, dict) and (entries.get("Federated") and "oidc" in str(entries["Federated"])
                                          or set(policies.as_list(entries.get("Service"))) & set(IN_VPC_SERVICES)):
            return True
    return False


def analyze(inventory: Inventory) -> list[Finding]:
    found = []
    s3 = inventory.client("s3")
    for bucket in buckets(inventory):
        policy_text = (_get(s3.get_bucket_policy, Bucket=bucket) or {}).get("Policy")
        bucket_policy = policies.document(policy_text) if policy_text else None
        encryption = (_get(s3.get_bucket_encryption, Bucket=bucket) or {}).get(
            "ServerSideEncryptionConfiguration", {})
        block = (_get(s3.get_public_access_block, Bucket=bucket) or {}).get("PublicAccessBlockConfiguration", {})
        found += _public(bucket, bucket_policy, block)
        grants = _grants(inventory, bucket)
        found += _bucket_denies(bucket, bucket_policy, grants)
        found += _boundaries(bucket, grants)
        found += _key(inventory, bucket, encryption, grants)
        found += _endpoint(inventory, [(role, action, resource) for role, action, resource in grants
                                       if used_in_vpc(role)])
    layers = f"arn:aws:s3:::{ECR_LAYERS.format(region=inventory.region)}/*"
    found += _endpoint(inventory, [({"Arn": group["nodeRole"], "RoleName": f"node group {group['nodegroupName']} "
                                             "(image layers from ECR)"}, "s3:GetObject", layers)
                                   for group in inventory.node_groups if group.get("nodeRole")])
    return _unique(found)


def _unique(found: list[Finding]) -> list[Finding]:
    seen: dict[tuple, Finding] = {}
    for finding in found:
        seen.setdefault((finding.code, finding.object, finding.problem), finding)
    return list(seen.values())


def _grants(inventory: Inventory, bucket: str) -> list[tuple[dict, str, str]]:
    key = f"{inventory.env.name}/vpc/terraform.tfstate" if bucket == inventory.env.values.get("state_bucket") \
        else "object"
    found = []
    for role in inventory.roles.values():
        for action in ACTIONS:
            resource = f"arn:aws:s3:::{bucket}" if action == "s3:ListBucket" else f"arn:aws:s3:::{bucket}/{key}"
            if identity_allows(role, action, resource):
                found.append((role, action, resource))
    return found


def _bucket_denies(bucket: str, bucket_policy: dict | None, grants) -> list[Finding]:
    if not bucket_policy:
        return []
    found = {}
    for role, action, resource in grants:
        for statement in policies.matching(bucket_policy, "Deny", action, resource, principal(role)):
            entry = found.setdefault(policies.label(statement), (statement, []))
            entry[1].append(f"{role['RoleName']} {action}")
    findings = []
    for sid, (statement, denied) in found.items():
        rest = policies.without(bucket_policy, statement)
        action = AwsCall.of("s3", "PutBucketPolicy", Bucket=bucket, Policy=json.dumps(rest)) if rest["Statement"] \
            else AwsCall.of("s3", "DeleteBucketPolicy", Bucket=bucket)
        findings.append(Finding("AWS010", "critical", f"bucket {bucket}", f"its bucket policy denies {sid}",
                                (f"statement {sid} denies: {', '.join(sorted(denied))}",
                                 "an explicit Deny wins over every Allow of the roles' own policies"),
                                "remove the statement (or narrow it with a condition that spares the platform's "
                                "roles)", (action,)))
    return findings


def _boundaries(bucket: str, grants) -> list[Finding]:
    found = []
    for role, action, resource in grants:
        boundary = role.get("Boundary")
        if boundary and not policies.allows(boundary, action, resource, principal(role)):
            found.append(Finding("AWS014", "critical", f"role {role['RoleName']}",
                                 f"its permissions boundary blocks {action} on {bucket}",
                                 (f"the role's policies allow {action} on {resource}; its boundary "
                                  f"{role['PermissionsBoundary']['PermissionsBoundaryArn']} does not",),
                                 "effective rights are the intersection of the policy and the boundary: add the action "
                                 "to the boundary (modules/iam's github-oidc role boundary) or drop it from the role"))
    return found


def _key(inventory: Inventory, bucket: str, encryption: dict, grants) -> list[Finding]:
    default = ((encryption.get("Rules") or [{}])[0].get("ApplyServerSideEncryptionByDefault") or {})
    key = default.get("KMSMasterKeyID")
    if default.get("SSEAlgorithm") not in ("aws:kms", "aws:kms:dsse") or not key:
        return []
    key_policy = policies.document(inventory.key_policy(key))
    lacking = {}
    for role, action, _ in grants:
        kms_action = ACTIONS[action]
        if kms_action and not _key_allows(inventory, key_policy, role, kms_action, key):
            lacking.setdefault(role["Arn"], []).append(kms_action)
    if not lacking:
        return []
    statement = {"Sid": "UseForS3ObjectsOf" + bucket.replace("-", "").replace(".", "")[:40], "Effect": "Allow",
                 "Principal": {"AWS": sorted(lacking)}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                 "Resource": "*"}
    fixed = {**key_policy, "Statement": [*policies.statements(key_policy), statement]}
    return [Finding("AWS012", "critical", f"bucket {bucket}", f"its KMS key {key} does not let the roles use it",
                    tuple(f"{arn.split('/')[-1]} may {', '.join(sorted(set(needs)))} nowhere in the key policy, and "
                          "the key does not delegate that to IAM" for arn, needs in sorted(lacking.items())),
                    "S3 calls KMS as the caller: let the roles use the key in its policy (or encrypt the bucket with a "
                    "key they may use)",
                    (AwsCall.of("kms", "PutKeyPolicy", KeyId=key, PolicyName="default", Policy=json.dumps(fixed)),))]


def _key_allows(inventory: Inventory, key_policy: dict, role: dict, action: str, key: str) -> bool:
    root = f"arn:aws:iam::{role['Arn'].split(':')[4]}:root"
    for statement in policies.matching(key_policy, "Allow", action, "*", principal(role), certain=False):
        named = policies.as_list((statement.get("Principal") or {}).get("AWS") if isinstance(
            statement.get("Principal"), dict) else statement.get("Principal"))
        if "*" in named or role["Arn"] in named:
            return True
        if root in named and identity_allows(role, action, key):
            return True
    return False


def _endpoint(inventory: Inventory, uses) -> list[Finding]:
    found = []
    for endpoint in inventory.vpc_endpoints:
        if not endpoint.get("ServiceName", "").endswith(".s3") or endpoint.get("VpcEndpointType") != "Gateway":
            continue
        document = policies.document(endpoint.get("PolicyDocument") or FULL_ACCESS)
        blocked = [f"{role['RoleName']} {action} on {resource}" for role, action, resource in uses
                   if not policies.allows(document, action, resource, principal(role))]
        if blocked:
            found.append(Finding(
                "AWS011", "critical", f"VPC endpoint {endpoint['VpcEndpointId']}",
                "its policy refuses S3 requests made from the VPC",
                (*[f"not allowed through it: {entry}" for entry in blocked],
                 f"route tables using it: {', '.join(endpoint.get('RouteTableIds') or [])}"),
                "every S3 request of the private subnets goes through this gateway endpoint and its policy: allow the "
                "platform's buckets and ECR's layer bucket, or return to the default full-access policy",
                (AwsCall.of("ec2", "ModifyVpcEndpoint", VpcEndpointId=endpoint["VpcEndpointId"],
                            PolicyDocument=json.dumps(FULL_ACCESS)),)))
    return found


def _public(bucket: str, bucket_policy: dict | None, block: dict) -> list[Finding]:
    if not bucket_policy or not (block.get("RestrictPublicBuckets") or block.get("BlockPublicPolicy")):
        return []
    public = [s for s in policies.statements(bucket_policy) if s.get("Effect") == "Allow" and not s.get("Condition")
              and s.get("Principal") in ("*", {"AWS": "*"})]
    if not public:
        return []
    rest = policies.without(bucket_policy, public[0])
    return [Finding("AWS013", "warning", f"bucket {bucket}", "a public statement that Block Public Access overrides",
                    (f"statement {policies.label(public[0])} allows everyone; the bucket's Block Public Access "
                     f"(RestrictPublicBuckets={block.get('RestrictPublicBuckets')}) refuses anonymous requests",),
                    "the platform's buckets are private (anything public is served through the ALB or CloudFront): "
                    "remove the public statement",
                    (AwsCall.of("s3", "PutBucketPolicy", Bucket=bucket, Policy=json.dumps(rest))
                     if rest["Statement"] else AwsCall.of("s3", "DeleteBucketPolicy", Bucket=bucket),))]
