"""Plan-based module tests in the cloud-foundation-fabric style.

Each module has cases under tests/modules/<module>/cases/: `<case>.tfvars` (inputs) and `<case>.yaml` (the
expected inventory: planned `values` per resource address, resource `counts` per type, known `outputs`).
One generic fixture plans them with tftest; negative tests assert the module's own validation messages.
Plans read data sources (aws_caller_identity calls STS), so each test worker answers them with an
in-process moto; nothing is ever applied in this tier. The modules are planned with the offline provider 3.39,
with each module's provider-3 variants (`provider3/<file>.tf`, see copy_modules) in place of its own files.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import tftest
import yaml
from moto.server import ThreadedMotoServer

from tbyte.core import hcl, paths
from tbyte.core.settings import Settings
from tbyte.toolchain import provider, setup, terraform
from tests.modules.collector import ModuleTests

TESTS_MODULES = Path(__file__).parent
# The provider the module tests plan with: the offline release of terragrunt/.terraform.lock.hcl.
PLANNING_PROVIDER_VERSION = provider.AWS_PROVIDER_VERSION
_VARIANT = re.compile(r"^provider(?P<major>\d+)$")


def is_provider_variant(folder: Path) -> bool:
    """A module's `provider<N>/` folder (see copy_modules): variants of the module's files, not a module."""
    return _VARIANT.match(folder.name) is not None


def copy_modules(destination: Path, provider_version: str = PLANNING_PROVIDER_VERSION,
                 ignore: tuple[str, ...] = (), source: Path = paths.MODULES) -> Path:
    """Copy modules/ to `destination` as a configuration planned with hashicorp/aws `provider_version` sees it.

    Provider variants: a module is written for the production provider; where a file of it cannot be written for
    an older major release as well (an argument renamed, a block that release lacks), the module holds a variant
    of that file, written for that release, under the same name in a `provider<N>/` folder beside it (for example
    modules/elasticache/provider3/replication_group.tf). Planning with N.x, each such file replaces the module's
    file of the same name; with any other major release the module's own files are used. Variant folders are
    never part of the copy (Terraform would not read them anyway). terragrunt/_envcommon makes the same
    substitution for the environments whose lock is N.x (see the elasticache unit).
    """
    major = provider_version.split(".")[0]
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".terraform*", *ignore))
    for folder in sorted(destination.rglob("provider*")):
        match = _VARIANT.match(folder.name)
        if not folder.is_dir() or match is None:
            continue
        if match["major"] == major:
            for variant in sorted(folder.glob("*.tf")):
                replaced = folder.parent / variant.name
                if not replaced.is_file():
                    raise AssertionError(f"{variant.relative_to(destination)} replaces no file of its module: "
                                         f"{replaced.relative_to(destination)} does not exist")
                shutil.copyfile(variant, replaced)
        shutil.rmtree(folder)
    return destination


SECOND_REGION = "eu-west-1"


def provider_aliases(module_dir: Path) -> list[str]:
    """The aliases of the aws provider a module asks its caller for (`configuration_aliases`)."""
    found = []
    for tf_file in module_dir.glob("*.tf"):
        for block in hcl.load(tf_file).get("terraform", []):
            for requirements in block.get("required_providers", []):
                aliases = (requirements.get("aws") or {}).get("configuration_aliases") or []
                found += [str(alias).strip("${}").split(".", 1)[1] for alias in aliases]
    return sorted(found)


def emulator_provider(endpoint: str, services: list[str], default_tags: dict[str, str] | None = None,
                      alias: str | None = None, region: str = "eu-central-1") -> str:
    """An AWS provider block that sends the given services to an emulator, with fake credentials."""
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in services)
    tags = ", ".join(f'"{key}" = "{value}"' for key, value in (default_tags or {}).items())
    default_tags_block = f"  default_tags {{\n    tags = {{ {tags} }}\n  }}\n" if default_tags else ""
    alias_line = f'  alias                       = "{alias}"\n' if alias else ""
    return f"""provider "aws" {{
{alias_line}  region                      = "{region}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
{default_tags_block}  endpoints {{
{endpoints}
  }}
}}
"""


def module_cases(module: str) -> list[str]:
    """Names of the plan cases of a module (for pytest.mark.parametrize)."""
    return sorted(path.stem for path in (TESTS_MODULES / module / "cases").glob("*.tfvars"))


def case_file(module: str, case: str, suffix: str) -> Path:
    return TESTS_MODULES / module / "cases" / f"{case}.{suffix}"


class ModulePlanner:
    """Plans a module (copied once per test worker, initialised once) with given inputs; each plan is made once
    per worker and shared by every test that asks for it."""

    def __init__(self, workdir: Path, env: dict[str, str], endpoint: str):
        self.workdir = workdir
        self.env = env
        self.endpoint = endpoint
        self._initialised: dict[str, tftest.TerraformTest] = {}
        self._plans: dict[tuple, tftest.TerraformPlanOutput] = {}

    def _module(self, module: str) -> tftest.TerraformTest:
        """The module (a path under modules/, e.g. `vpc` or `iam/modules/irsa-role`), initialised once.

        Each module is planned in its own copy of the whole modules/ tree, where its relative sources
        (`../kms-key`, `./modules/irsa-role`) resolve, and only it holds the test's provider block. The copy is
        the one provider 3.x sees (copy_modules: provider variants).
        """
        if module not in self._initialised:
            tree = copy_modules(self.workdir / module.replace("/", "__"))
            target = tree / module
            (target / "zz_test_provider.tf").write_text(emulator_provider(self.endpoint, ["sts", "iam", "ec2"]))
            for alias in provider_aliases(target):  # a module's second provider (backup's aws.copy): another region
                (target / f"zz_test_provider_{alias}.tf").write_text(
                    emulator_provider(self.endpoint, ["sts", "iam", "ec2"], alias=alias, region=SECOND_REGION))
            # With the committed lock, init links the provider from the shared cache instead of re-extracting
            # it there, which breaks ("text file busy") while another worker runs it.
            shutil.copy(paths.TERRAGRUNT / ".terraform.lock.hcl", target / ".terraform.lock.hcl")
            tf = tftest.TerraformTest(str(target), binary=str(terraform.binary()), env=self.env)
            tf.init()
            self._initialised[module] = tf
        return self._initialised[module]

    def plan(self, module: str, tfvars: Path | None = None, **overrides) -> tftest.TerraformPlanOutput:
        """Plan the module with a tfvars file and/or variables that override it (once per worker)."""
        key = (module, str(tfvars), json.dumps(overrides, sort_keys=True))
        if key not in self._plans:
            self._plans[key] = self._plan(module, tfvars, **overrides)
        return self._plans[key]

    def _plan(self, module: str, tfvars: Path | None = None, **overrides) -> tftest.TerraformPlanOutput:
        tf = self._module(module)
        var_files = [str(tfvars)] if tfvars else []
        if overrides:
            # A later -var-file wins; tftest would put -var before -var-file, where the file would win.
            override_file = Path(tf.tfdir) / "zz_overrides.tfvars.json"
            override_file.write_text(json.dumps(overrides))
            var_files.append(str(override_file))
        return tf.plan(output=True, tf_var_file=var_files or None)

    def plan_error(self, module: str, tfvars: Path | None = None, **tf_vars) -> str:
        """The error output (whitespace folded) of a plan that must fail."""
        with pytest.raises(tftest.TerraformTestError) as failure:
            self.plan(module, tfvars, **tf_vars)
        return " ".join(failure.value.args[0].split())


PLANNER = pytest.StashKey[ModulePlanner]()


def shared_planner(config: pytest.Config) -> ModulePlanner:
    """The worker's planner (its own moto for STS, its copies of the modules), made on first use."""
    if PLANNER not in config.stash:
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        config.add_cleanup(server.stop)
        host, port = server.get_host_and_port()
        setup.ensure(Settings.defaults(), tools=())
        config.stash[PLANNER] = ModulePlanner(config._tmp_path_factory.mktemp("modules"),
                                              setup.environment(Settings.defaults()), f"http://{host}:{port}")
    return config.stash[PLANNER]


@pytest.fixture(scope="session")
def planner(request) -> ModulePlanner:
    return shared_planner(request.config)


def pytest_collect_file(file_path: Path, parent):
    if file_path.name == "tftest.yaml" or file_path.name.endswith(".tftest.yaml"):
        return ModuleTests.from_parent(parent, path=file_path)
    return None


def _is_subset(expected, actual) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _is_subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(_is_subset, expected, actual))
    return expected == actual


def assert_inventory(plan: tftest.TerraformPlanOutput, inventory_file: Path) -> None:
    """Check a plan against an inventory: values are subsets of the planned values, counts and outputs exact."""
    inventory = yaml.safe_load(inventory_file.read_text()) or {}
    assert set(inventory) <= {"values", "counts", "outputs"}, f"{inventory_file}: unknown sections"
    assert inventory, f"{inventory_file} checks nothing"
    resources = {resource["address"]: resource for resource in _all_resources(plan.root_module)}
    for address, expected in (inventory.get("values") or {}).items():
        assert address in resources, f"{address} is not planned; planned: {sorted(resources)}"
        actual = resources[address]["values"]
        assert _is_subset(expected, actual), f"{address}: expected {expected}, planned {actual}"
    counts: dict[str, int] = {}
    for resource in resources.values():
        if resource["mode"] == "managed":
            counts[resource["type"]] = counts.get(resource["type"], 0) + 1
    for resource_type, expected_count in (inventory.get("counts") or {}).items():
        planned = counts.get(resource_type, 0)
        assert planned == expected_count, f"{resource_type}: {planned} planned, {expected_count} expected"
    for name, expected in (inventory.get("outputs") or {}).items():
        assert name in plan.outputs, f"output {name} is not planned"
        assert plan.outputs[name] == expected, f"output {name}: planned {plan.outputs[name]}"


def assert_never_planned(plan: tftest.TerraformPlanOutput, secret_paths: dict[str, list[str]]) -> None:
    """Generated secrets (attributes by address) are unknown and sensitive in the plan, and no 64-hex-character
    value (what `uuid()`-based generation gives) appears anywhere in it."""
    for address, attributes in secret_paths.items():
        change = plan.resource_changes[address]["change"]
        for attribute in attributes:
            assert change["after_unknown"].get(attribute) is True, f"{address}.{attribute} is known at plan time"
            assert attribute not in (change["after"] or {}), f"{address}.{attribute} has a planned value"
            assert change["after_sensitive"].get(attribute) is True, f"{address}.{attribute} is not sensitive"
    assert not re.search(r"[0-9a-f]{64}", json.dumps(plan._raw))


def _all_resources(module: tftest.TerraformPlanModule):
    yield from module.resources.values()
    for child in module.child_modules.values():
        yield from _all_resources(child)
