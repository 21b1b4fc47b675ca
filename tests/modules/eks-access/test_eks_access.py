"""modules/eks-access without a provider that has its resources: its variables (every validation) and
associations.tf (which policy, which scope) planned on the offline Terraform, the resources checked elsewhere
against the 6.25 schema (tests/modules/test_provider_schema.py)."""

from __future__ import annotations

import json
import shutil

import pytest
import tftest

from tbyte.core import paths
from tbyte.toolchain import terraform

MODULE = paths.MODULES / "eks-access"
ROLE = "arn:aws:iam::111111111111:role/tbyte-dev-{}"
ENTRIES = {
    "break-glass": {"principal_arn": ROLE.format("break-glass"), "kubernetes_groups": ["tbyte:break-glass"],
                    "access_policy": {"name": "AmazonEKSClusterAdminPolicy", "namespaces": []}},
    "core-read-only": {"principal_arn": ROLE.format("core-read-only"), "kubernetes_groups": ["tbyte:core:read-only"],
                       "access_policy": {"name": "AmazonEKSViewPolicy", "namespaces": ["tbyte", "extra"]}},
    "core-ci-deployer": {"principal_arn": ROLE.format("core-ci-deployer"),
                         "kubernetes_groups": ["tbyte:core:ci-deployer"]},
}


@pytest.fixture(scope="module")
def harness(tmp_path_factory, terraform_env):
    """The module's variables and associations, with an output of the associations; no provider at all."""
    directory = tmp_path_factory.mktemp("eks-access")
    for name in ("variables.tf", "associations.tf"):
        shutil.copy(MODULE / name, directory / name)
    (directory / "outputs.tf").write_text("output \"associations\" {\n  value = local.associations\n}\n")
    tf = tftest.TerraformTest(str(directory), binary=str(terraform.binary()), env=terraform_env)
    tf.init()

    def plan(entries: dict):
        (directory / "inputs.tfvars.json").write_text(json.dumps({"cluster_name": "tbyte-dev",
                                                                  "access_entries": entries}))
        return tf.plan(output=True, tf_var_file=[str(directory / "inputs.tfvars.json")])

    return plan


def test_the_only_files_without_provider_resources_are_the_ones_planned_here():
    """What the harness copies must not need the provider; everything else is covered by the schema test."""
    for name in ("variables.tf", "associations.tf"):
        text = (MODULE / name).read_text()
        assert "resource \"" not in text and "data \"" not in text


def test_policies_are_scoped_to_the_groups_namespaces_or_the_cluster(harness):
    associations = harness(ENTRIES).outputs["associations"]
    assert associations == {
        "break-glass": {"policy": "AmazonEKSClusterAdminPolicy", "scope": "cluster", "namespaces": None},
        "core-read-only": {"policy": "AmazonEKSViewPolicy", "scope": "namespace", "namespaces": ["extra", "tbyte"]},
    }


def entry(**changes):
    return {"x": {**ENTRIES["core-read-only"], **changes}}


@pytest.mark.parametrize(("entries", "message"), [
    (entry(principal_arn="arn:aws:iam::111111111111:user/alice"), "Each principal_arn must be an IAM role ARN"),
    ({"a": ENTRIES["break-glass"], "b": ENTRIES["break-glass"]}, "A principal can have one access entry only"),
    (entry(kubernetes_groups=["system:masters"]), "none of them starting with system:"),
    (entry(kubernetes_groups=[]), "Each entry needs Kubernetes groups"),
    (entry(access_policy={"name": "AmazonEKSEditPolicy", "namespaces": ["tbyte"]}),
     "access_policy.name must be AmazonEKSViewPolicy or AmazonEKSClusterAdminPolicy"),
    (entry(access_policy={"name": "AmazonEKSClusterAdminPolicy", "namespaces": ["tbyte"]}),
     "AmazonEKSClusterAdminPolicy is associated cluster-wide and only cluster-wide"),
    (entry(access_policy={"name": "AmazonEKSViewPolicy", "namespaces": []}),
     "AmazonEKSClusterAdminPolicy is associated cluster-wide and only cluster-wide"),
])
def test_invalid_entries_are_refused(harness, entries, message):
    with pytest.raises(tftest.TerraformTestError) as failure:
        harness(entries)
    assert message in " ".join(failure.value.args[0].split())
