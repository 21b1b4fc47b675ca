"""Provider variants: a module's `provider<N>/` files replace its own files of the same name where the provider is N.x.

The rule (tests/modules/conftest.py copy_modules) serves the module tests, which plan with the offline 3.39.0;
terragrunt/_envcommon/elasticache.hcl applies the same substitution for `local` (tests/infra/test_render.py).
"""

from __future__ import annotations

import pytest

from tbyte.core import paths
from tbyte.toolchain import provider, provider_schema
from tests.modules.conftest import PLANNING_PROVIDER_VERSION, copy_modules, is_provider_variant

VARIANT_FOLDERS = sorted(
    folder for folder in paths.MODULES.rglob("provider*") if folder.is_dir() and is_provider_variant(folder)
)


def test_the_module_tests_plan_with_the_offline_provider():
    assert PLANNING_PROVIDER_VERSION == provider.AWS_PROVIDER_VERSION and PLANNING_PROVIDER_VERSION.startswith("3.")


def test_every_variant_replaces_a_file_of_its_module():
    assert paths.MODULES / "elasticache" / "provider3" in VARIANT_FOLDERS
    for folder in VARIANT_FOLDERS:
        variants = sorted(folder.iterdir())
        assert variants and all(path.suffix == ".tf" for path in variants), f"{folder}: only .tf files, at least one"
        for variant in variants:
            assert (folder.parent / variant.name).is_file(), f"{variant} replaces no file of its module"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (PLANNING_PROVIDER_VERSION, "provider3/replication_group.tf"),
        (provider_schema.DEFAULT_VERSION, "replication_group.tf"),
    ],
    ids=["3.x-variant", "6.x-own-file"],
)
def test_the_copy_holds_the_file_for_its_provider_and_no_variant_folder(tmp_path, version, expected):
    tree = copy_modules(tmp_path / "modules", version)
    module = tree / "elasticache"
    assert (module / "replication_group.tf").read_text() == (paths.MODULES / "elasticache" / expected).read_text()
    assert not [folder for folder in tree.rglob("provider*") if folder.is_dir() and is_provider_variant(folder)]
    # Everything else is copied as it is.
    assert (module / "main.tf").read_text() == (paths.MODULES / "elasticache" / "main.tf").read_text()


def test_a_variant_of_no_file_is_refused(tmp_path):
    source = tmp_path / "source"
    (source / "thing" / "provider3").mkdir(parents=True)
    (source / "thing" / "main.tf").write_text("# the module\n")
    (source / "thing" / "provider3" / "mian.tf").write_text("# a typo\n")
    with pytest.raises(AssertionError, match="thing/provider3/mian.tf replaces no file of its module"):
        copy_modules(tmp_path / "copy", "3.39.0", source=source)
    copy_modules(tmp_path / "copy6", "6.25.0", source=source)  # with another major release it is not used at all
    assert not (tmp_path / "copy6" / "thing" / "provider3").exists()
