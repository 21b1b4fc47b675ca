"""The add-on charts as helm gets them: a dependency that is off and absent from the module is dropped from a
copy; one that is on is refused before anything is installed."""

from __future__ import annotations

import pytest
import yaml

from tbyte.cluster.addons import installable_chart
from tbyte.core.errors import Refused
from tbyte.gitops.local import InstallStep


def chart(tmp_path, values: dict, shipped: bool = False):
    folder = tmp_path / "module" / "charts" / "store"
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(yaml.safe_dump({
        "apiVersion": "v2", "name": "store", "version": "1.0.0",
        "dependencies": [{"name": "sdk-server", "version": "0.1.0", "condition": "sdk.enable"}]}))
    (folder / "Chart.lock").write_text("dependencies: []\n")
    (folder / "values.yaml").write_text(yaml.safe_dump({"sdk": {"enable": False}}))
    if shipped:
        (folder / "charts" / "sdk-server").mkdir(parents=True)
    return InstallStep(name="store", namespace="store", source="example.com/store@v1.0.0", chart=folder,
                       values=values)


def test_a_missing_dependency_that_is_off_is_dropped_from_a_copy(tmp_path):
    step = chart(tmp_path, {})
    copy = installable_chart(step, tmp_path / "work")
    assert copy != step.chart and copy.name == "store"
    assert not yaml.safe_load((copy / "Chart.yaml").read_text())["dependencies"]
    assert not (copy / "Chart.lock").exists()
    assert yaml.safe_load((step.chart / "Chart.yaml").read_text())["dependencies"], "the module stays as it is"


def test_a_missing_dependency_the_values_turn_on_is_refused(tmp_path):
    with pytest.raises(Refused, match="store: its chart needs sdk-server, which example.com/store@v1.0.0 does not"):
        installable_chart(chart(tmp_path, {"sdk": {"enable": True}}), tmp_path / "work")
    assert not (tmp_path / "work").exists()


def test_a_chart_with_its_dependencies_is_used_as_it_is(tmp_path):
    step = chart(tmp_path, {"sdk": {"enable": True}}, shipped=True)
    assert installable_chart(step, tmp_path / "work") == step.chart
