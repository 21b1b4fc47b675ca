"""tflint in the gate: the modules are clean; a sloppy module fails with tflint's rules."""

from tbyte.core import paths
from tbyte.policy import tflint

SLOPPY = paths.ROOT / "tests" / "policy" / "fixtures" / "tflint" / "sloppy"


def test_every_module_passes_tflint():
    result = tflint.run()
    assert result.failed == [], [f"{f.file}:{f.lines} {f.check_id}: {f.check_name}" for f in result.failed]
    assert result.passed == len(tflint.module_folders()) >= 14


def test_a_sloppy_module_fails_with_the_rules_it_breaks():
    result = tflint.run([SLOPPY])
    rules = {finding.check_id for finding in result.failed}
    assert {"terraform_typed_variables", "terraform_documented_variables", "terraform_unused_declarations",
            "terraform_standard_module_structure", "terraform_required_version"} <= rules, rules
    assert all(finding.file.startswith("tests/policy/fixtures/tflint/sloppy/") for finding in result.failed)


def test_provider_variants_are_not_judged_as_modules():
    assert paths.MODULES / "elasticache" / "provider3" not in tflint.module_folders()
