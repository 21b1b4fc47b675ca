"""The module tests declared in YAML, as cloud-foundation-fabric does: one `tftest.yaml` (or `<name>.tftest.yaml`)
per module under tests/modules/, collected by tests/modules/conftest.py.

    module: rds                           # a folder under modules/
    mock_providers: [aws]                 # providers the refusals mock (aws.copy for a second region...)
    base: cases/dev_single_az.tfvars      # the inputs a refusal starts from (relative to this file)
    refusals:                             # one per validation: inputs over the base, and Terraform's message
      - name: identifier
        inputs: {identifier: TByte_Dev}
        message: identifier must be 3-48 characters

Plan cases need no declaration: every cases/<case>.tfvars beside a tftest.yaml with its cases/<case>.yaml
inventory is planned once (tftest, the real provider against the worker's moto) and checked against the inventory. Refusals
run in one `terraform test` per module (mocked providers, every refusal a test file of its own, all of them in
one process): each must fail with its message. Both plan the modules tree as provider 3.x sees it: a module's
`provider3/` files replace its files of the same name (conftest.copy_modules).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tbyte.core import paths
from tbyte.toolchain import terraform

# The data sources the modules read, answered by the mocked provider with values a validation accepts.
MOCK_DATA = {
    "aws_iam_policy_document": {"json": '{"Version":"2012-10-17","Statement":[]}'},
    "aws_caller_identity": {"account_id": "123456789012", "arn": "arn:aws:iam::123456789012:user/test"},
    "aws_region": {"name": "eu-central-1"},
    "aws_partition": {"partition": "aws", "dns_suffix": "amazonaws.com"},
}


def hcl(value) -> str:
    """A value as an HCL expression (strings escaped, interpolation sequences kept literal)."""
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(key))} = {hcl(item)}" for key, item in value.items()) + " }"
    raise TypeError(f"no HCL form for {value!r}")


def mock_provider(name: str) -> str:
    provider, _, alias = name.partition(".")
    blocks = "".join(f'  mock_data "{kind}" {{\n    defaults = {{ {", ".join(f"{k} = {hcl(v)}" for k, v in data.items())} }}\n  }}\n'
                     for kind, data in MOCK_DATA.items())
    return f'mock_provider "{provider}" {{\n{f"  alias = {json.dumps(alias)}" + chr(10) if alias else ""}{blocks}}}\n'


class Spec:
    """A tftest.yaml file."""

    def __init__(self, path: Path):
        self.path = path
        self.data = yaml.safe_load(path.read_text()) or {}
        self.module = self.data["module"]
        self.cases_dir = path.parent / "cases"

    def cases(self) -> list[str]:
        if self.path.name != "tftest.yaml":  # <name>.tftest.yaml: a submodule's refusals beside its parent's cases
            return []
        return sorted(case.stem for case in self.cases_dir.glob("*.tfvars") if case.with_suffix(".yaml").exists())

    def refusals(self) -> list[dict]:
        found = []
        for index, refusal in enumerate(self.data.get("refusals") or []):
            base = self.path.parent / refusal.get("base", self.data["base"])
            found.append({"name": refusal.get("name", str(index)), "base": base, "inputs": refusal["inputs"],
                          "message": refusal["message"], "file": f"refusal_{index:03d}"})
        return found


def refusal_file(spec: Spec, refusal: dict) -> str:
    providers = "".join(mock_provider(name) for name in spec.data.get("mock_providers") or ["aws"])
    overrides = "\n".join(f"    {key} = {hcl(value)}" for key, value in refusal["inputs"].items())
    return (f"# {spec.path.name}: {refusal['name']}\n{providers}\nvariables {{\n{refusal['base'].read_text()}\n}}\n\n"
            f'run "refusal" {{\n  command = plan\n\n  variables {{\n{overrides}\n  }}\n}}\n')


def run_refusals(spec: Spec, workdir: Path, env: dict) -> dict[str, dict]:
    """{test file name: {"status", "messages"}} of one `terraform test` of every refusal of the module."""
    from tests.modules.conftest import copy_modules

    tree = workdir / f"refusals-{spec.module.replace('/', '__')}"
    shutil.rmtree(tree, ignore_errors=True)
    copy_modules(tree, ignore=("tests",))  # as the plan cases see it: the provider-3 variants in place
    module = tree / spec.module
    (module / "tests").mkdir()
    for refusal in spec.refusals():
        (module / "tests" / f"{refusal['file']}.tftest.hcl").write_text(refusal_file(spec, refusal))
    shutil.copy(paths.TERRAGRUNT / ".terraform.lock.hcl", module / ".terraform.lock.hcl")
    binary = str(terraform.binary())
    init = subprocess.run([binary, "init", "-input=false", "-lockfile=readonly", "-backend=false"], cwd=module,
                          env=env, capture_output=True, text=True)
    if init.returncode != 0:
        raise AssertionError(f"terraform init of {spec.module} failed:\n{init.stdout}\n{init.stderr}")
    test = subprocess.run([binary, "test", "-json"], cwd=module, env=env, capture_output=True, text=True)
    results: dict[str, dict] = {}
    for line in test.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        name = Path(message.get("@testfile", "")).name.removesuffix(".tftest.hcl")
        if not name:
            continue
        entry = results.setdefault(name, {"status": None, "messages": []})
        if message.get("type") == "test_run" and message["test_run"].get("status"):
            entry["status"] = message["test_run"]["status"]
        elif message.get("type") == "diagnostic":
            diagnostic = message["diagnostic"]
            entry["messages"].append(" ".join(f"{diagnostic.get('summary', '')}: {diagnostic.get('detail', '')}"
                                              .split()))
    return results


class ModuleTests(pytest.File):
    """The items of one tftest.yaml: its plan cases, then its refusals."""

    def collect(self):
        spec = Spec(self.path)
        group = pytest.mark.xdist_group(f"module-{spec.module}")  # one worker plans and tests a module
        for case in spec.cases():
            item = PlanCase.from_parent(self, name=f"plan[{case}]", spec=spec, case=case)
            item.add_marker(group)
            yield item
        for refusal in spec.refusals():
            item = Refusal.from_parent(self, name=f"refusal[{refusal['name']}]", spec=spec, refusal=refusal)
            item.add_marker(group)
            yield item


class YamlItem(pytest.Item):
    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AssertionError):  # the assertion says it all; no traceback of the collector
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class PlanCase(YamlItem):
    def __init__(self, *, spec: Spec, case: str, **kwargs):
        super().__init__(**kwargs)
        self.spec, self.case = spec, case

    def runtest(self):
        from tests.modules.conftest import assert_inventory, shared_planner

        plan = shared_planner(self.config).plan(self.spec.module, self.spec.cases_dir / f"{self.case}.tfvars")
        assert_inventory(plan, self.spec.cases_dir / f"{self.case}.yaml")

    def reportinfo(self):
        return self.path, None, f"{self.spec.module}: plan case {self.case}"


class Refusal(YamlItem):
    def __init__(self, *, spec: Spec, refusal: dict, **kwargs):
        super().__init__(**kwargs)
        self.spec, self.refusal = spec, refusal

    def runtest(self):
        results = self.config.stash.setdefault(REFUSALS, {})
        if self.spec.path not in results:
            from tests.modules.conftest import shared_planner

            planner = shared_planner(self.config)
            results[self.spec.path] = run_refusals(self.spec, planner.workdir, planner.env)
        result = results[self.spec.path].get(self.refusal["file"], {"status": "not run", "messages": []})
        seen = " | ".join(result["messages"]) or "no diagnostic"
        assert result["status"] == "error", f"the plan did not fail ({result['status']}): {seen}"
        assert self.refusal["message"] in seen, f"expected {self.refusal['message']!r}, Terraform said: {seen}"

    def reportinfo(self):
        return self.path, None, f"{self.spec.module}: refusal {self.refusal['name']}"


REFUSALS = pytest.StashKey[dict]()
