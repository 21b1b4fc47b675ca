"""What makes a saved plan stale: every file the stack's plan depends on, called modules and templates included."""

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.infra.graph import graph
from tbyte.infra.plans import code_files


def test_the_code_of_a_stack_is_its_configuration_its_modules_and_the_locks():
    stacks = graph(Environment.resolve("local"))
    files = {str(path.relative_to(paths.ROOT)) for path in code_files(stacks.get("eks"))}
    assert {"terragrunt/root.hcl", "terragrunt/local/env.hcl", "terragrunt/_envcommon/eks.hcl",
            "terragrunt/local/eks/terragrunt.hcl", "terragrunt/.terraform.lock.hcl",
            "terragrunt/.terraform.lock.aws.hcl", "modules/eks/main.tf"} <= files
    # modules it calls from outside its own folder, which Terragrunt's `reading` does not list
    assert "modules/iam/modules/eks-cluster-role/main.tf" in files and "modules/kms-key/main.tf" in files
    assert not any(name.endswith("README.md") for name in files)
    node_group = {str(path.relative_to(paths.ROOT)) for path in code_files(stacks.get("node-group"))}
    assert "modules/node-group/templates/taints_user_data.tftpl" in node_group, "templatefile() inputs count"
    assert not any(name.startswith("modules/eks/") for name in node_group)
