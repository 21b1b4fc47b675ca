import subprocess
import sys

from tbyte.core import paths


def test_every_module_readme_tables_are_current():
    check = subprocess.run(
        [sys.executable, "scripts/module_docs.py", "--check"], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, f"run scripts/module_docs.py:\n{check.stdout}{check.stderr}"


def test_every_module_has_its_readme():
    # main/variables/outputs/versions.tf, typed and described variables: tflint's (tests/policy/test_tflint.py)
    for versions in paths.MODULES.rglob("versions.tf"):
        assert (versions.parent / "README.md").exists(), f"{versions.parent.relative_to(paths.ROOT)} has no README"
