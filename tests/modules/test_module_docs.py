import subprocess
import sys

from tbyte.core import paths


def test_every_module_readme_tables_are_current():
    check = subprocess.run(
        [sys.executable, "scripts/module_docs.py", "--check"], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, f"run scripts/module_docs.py:\n{check.stdout}{check.stderr}"


def test_every_module_has_the_standard_files():
    for variables in paths.MODULES.rglob("variables.tf"):
        module = variables.parent
        missing = [name for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
                   if not (module / name).exists()]
        assert not missing, f"{module.relative_to(paths.ROOT)} lacks {missing}"


def test_every_variable_is_typed_and_described():
    from tbyte.core import hcl

    for variables in paths.MODULES.rglob("variables.tf"):
        for name, body in hcl.blocks(hcl.load(variables), "variable").items():
            assert body.get("type"), f"{variables}: variable {name} has no type"
            assert body.get("description"), f"{variables}: variable {name} has no description"
