import pytest

from tests.modules.conftest import case_file

BASE = case_file("eks", "private_only", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"name": "TByte_Dev"}, "name must be 3-32 characters"),
        ({"environment": "qa"}, "environment must be one of local, dev, stage, prod"),
        ({"kubernetes_version": "1.33"}, "kubernetes_version must be 1.34 or 1.35"),
        ({"kubernetes_version": "1.36"}, "kubernetes_version must be 1.34 or 1.35"),
        ({"kubernetes_version": "1.35.1"}, "kubernetes_version must be 1.34 or 1.35"),
        ({"vpc_id": "vpc-xyz"}, "vpc_id must be a VPC ID"),
        ({"vpc_cidr": "10.20.0.0/33"}, "vpc_cidr must be a valid IPv4 CIDR block"),
        ({"subnet_ids": []}, "subnet_ids must list at least 2 distinct private subnet IDs"),
        ({"subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1"]}, "subnet_ids must list at least 2 distinct private subnet IDs"),
        ({"subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa1"]},
         "subnet_ids must list at least 2 distinct private subnet IDs"),
        ({"subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "private-b"]}, "Every entry of subnet_ids must be a subnet ID"),
        ({"endpoint_public_access": True, "public_access_cidrs": ["203.0.113.0/33"]},
         "Every entry of public_access_cidrs must be a valid IPv4 CIDR block"),
        ({"endpoint_public_access": True, "public_access_cidrs": ["203.0.113.0/24", "0.0.0.0/0"]},
         "public_access_cidrs must not contain 0.0.0.0/0"),
        ({"api_ingress_cidrs": ["10.0.0.300/24"]}, "Every entry of api_ingress_cidrs must be a valid IPv4 CIDR block"),
        ({"api_ingress_cidrs": ["0.0.0.0/0"]}, "api_ingress_cidrs must not contain 0.0.0.0/0"),
        ({"api_ingress_security_group_ids": ["default"]},
         "Every entry of api_ingress_security_group_ids must be a security group ID"),
        ({"service_ipv4_cidr": "172.20.0.0/8"}, "service_ipv4_cidr must be a valid IPv4 CIDR block"),
        ({"enabled_log_types": ["api", "kubelet"]}, "enabled_log_types must be distinct entries of api, audit"),
        ({"enabled_log_types": ["api", "api"]}, "enabled_log_types must be distinct entries of api, audit"),
        ({"log_retention_days": 10}, "log_retention_days must be a retention CloudWatch Logs accepts"),
        ({"kms_deletion_window_days": 3}, "kms_deletion_window_days must be a whole number of days between 7 and 30"),
        ({"oidc_thumbprints": ["not-a-thumbprint"]}, "oidc_thumbprints must list 1 to 5 SHA-1 thumbprints"),
        ({"oidc_thumbprints": []}, "oidc_thumbprints must list 1 to 5 SHA-1 thumbprints"),
        ({"addons": {"VPC CNI": {}}}, "addons keys must be EKS add-on names"),
        ({"addons": {"coredns": {"version": "1.11"}}}, "addons version must be an EKS add-on version"),
        ({"addons": {"aws-ebs-csi-driver": {"service_account_role_arn": "ebs-csi"}}},
         "addons service_account_role_arn must be an IAM role ARN"),
        ({"addons": {"vpc-cni": {"configuration_values": "enableNetworkPolicy=true"}}},
         "addons configuration_values must be a JSON object"),
        ({"addons": {"aws-efs-csi-driver": {}}},
         "No version of the add-on aws-efs-csi-driver is pinned for Kubernetes 1.35"),
        ({"cluster_role_permissions_boundary_arn": "boundary"}, "permissions_boundary_arn must be the ARN of an IAM policy"),
        ({"environment": "prod", "endpoint_public_access": True, "public_access_cidrs": ["203.0.113.0/24"]},
         "The public API endpoint must be off in prod"),
        ({"endpoint_public_access": True}, "endpoint_public_access = true needs public_access_cidrs"),
    ],
    ids=["name", "environment", "version-too-old", "version-too-new", "version-patch", "vpc-id", "vpc-cidr",
         "subnets-empty", "subnets-one", "subnets-duplicate", "subnet-id", "public-cidr-syntax", "public-cidr-world",
         "ingress-cidr-syntax", "ingress-cidr-world", "ingress-sg-id", "service-cidr", "log-type", "log-type-duplicate",
         "retention", "kms-window", "thumbprint-syntax", "thumbprints-empty", "addon-name",
         "addon-version", "addon-role-arn", "addon-configuration", "addon-unpinned", "permissions-boundary", "prod-public-endpoint", "public-without-cidrs"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("eks", BASE, **inputs)
