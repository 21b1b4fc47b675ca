import pytest

from tests.modules.conftest import case_file

BASE = case_file("vpc", "single_nat", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"cidr": "10.0.0.0/33"}, "cidr must be a valid IPv4 CIDR block"),
        ({"cidr": "10.0.0.0/8"}, "prefix length between /16 and /20"),
        ({"azs": ["eu-central-1a", "eu-central-1a"]}, "azs must list 1 to 6 distinct availability zones"),
        ({"azs": ["frankfurt"]}, "must be an availability zone name"),
        ({"nat_gateway_mode": "two"}, "nat_gateway_mode must be one of one_per_az, single, none"),
        ({"flow_log_retention_days": 10}, "flow_log_retention_days must be a retention CloudWatch Logs accepts"),
        ({"name": "TByte_Dev"}, "name must be 3-32 characters"),
        ({"private_subnet_cidrs": ["10.20.0.0/20"]}, "must each list one CIDR per entry of azs"),
        ({"public_subnet_cidrs": ["10.20.96.0/24", "not-a-cidr"]}, "public_subnet_cidrs must be a valid IPv4 CIDR"),
    ],
    ids=["cidr-syntax", "cidr-too-large", "azs-duplicate", "az-name", "nat-mode", "retention", "name",
         "subnet-count", "subnet-cidr"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("vpc", BASE, **inputs)
