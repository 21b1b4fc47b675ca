"""Upstream files come from pinned Go modules: a different hash is refused, a pattern that matches nothing too."""

from __future__ import annotations

import dataclasses

import pytest

from tbyte.core.errors import Refused
from tbyte.gitops.catalogue import addon
from tbyte.gitops.sources import ModuleSource


def test_the_argo_rollouts_crds_come_from_its_module():
    rollouts = addon("argo-rollouts")
    files = rollouts.module.files(rollouts.local.crds)
    assert {path.name for path in files} == {"analysis-run-crd.yaml", "analysis-template-crd.yaml",
                                             "cluster-analysis-template-crd.yaml", "experiment-crd.yaml",
                                             "rollout-crd.yaml"}


def test_argo_cd_downloads_with_the_go_toolchain_it_names():
    argocd = addon("argo-cd")
    assert argocd.module.toolchain == "go1.27.3"
    assert argocd.module.path_in("manifests/ha/install.yaml").is_file()


def test_a_module_whose_hash_differs_from_the_pin_is_refused():
    rollouts = addon("argo-rollouts").module
    forged = dataclasses.replace(rollouts, sum="h1:" + "A" * 43 + "=")
    with pytest.raises(Refused, match="not the pinned"):
        forged.directory()


def test_a_pattern_that_matches_nothing_is_refused():
    with pytest.raises(Refused, match="nothing matches"):
        addon("metrics-server").module.files(["charts/no-such-chart/*.yaml"])


@pytest.mark.parametrize("data", [
    {"path": "github.com/x/y", "version": "1.0.0", "sum": "h1:" + "A" * 43 + "="},
    {"path": "github.com/x/y", "version": "v1.0.0", "sum": "sha256:abc"},
    {"path": "github.com/x/y", "version": "v1.0.0", "sum": "h1:" + "A" * 43 + "=", "toolchain": "latest"},
])
def test_a_malformed_pin_is_refused(data):
    with pytest.raises(Refused):
        ModuleSource.from_dict(data)
