import pytest

from tests.modules.conftest import case_file

BASE = case_file("ecr", "three_services", "tfvars")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"namespace": "TByte"}, "namespace must be up to 64 lowercase letters and digits"),
        ({"services": []}, "services must list at least one service, without repetitions"),
        ({"services": ["api", "api"]}, "services must list at least one service, without repetitions"),
        ({"services": ["Api"]}, "Each entry of services must be up to 128 lowercase letters and digits"),
        ({"keep_tagged_images": 0}, "keep_tagged_images must be a whole number between 1 and 1000"),
        ({"untagged_image_expiry_days": 0}, "untagged_image_expiry_days must be a whole number between 1 and 365"),
        ({"push_principal_arns": ["arn:aws:iam::123456789012:user/ci"]},
         "Each entry of push_principal_arns must be an IAM role ARN"),
        ({"pull_principal_arns": ["*"]}, "Each entry of pull_principal_arns must be an IAM role ARN"),
    ],
    ids=["namespace", "services-empty", "services-repeated", "service-name", "keep-tagged", "untagged-expiry",
         "push-not-a-role", "pull-wildcard"],
)
def test_bad_input_fails_with_the_module_message(planner, inputs, message):
    assert message in planner.plan_error("ecr", BASE, **inputs)
