"""Fixtures of the GitOps tests: every environment rendered once (example outputs), and the CRD schemas of the
pinned upstream modules (Argo CD, Prometheus Operator, External Secrets, Argo Rollouts)."""

from __future__ import annotations

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import addons
from tbyte.gitops.render import render
from tbyte.gitops.validation import load_crds
from tbyte.helm.outputs import example_outputs

ENVIRONMENTS = ("local", "dev", "stage", "prod")


@pytest.fixture(scope="session")
def rendered():
    cache: dict = {}

    def get(env: str):
        if env not in cache:
            cache[env] = render(Environment.resolve(env), example_outputs(env))
        return cache[env]

    return get


@pytest.fixture(scope="session")
def crds():
    """The served versions of every CRD the local-capable add-ons and Argo CD ship, by (apiVersion, kind)."""
    files = []
    for addon in addons():
        patterns = addon.local.crds if addon.local.capable else ()
        if patterns:
            files += addon.module.files(patterns)
    return load_crds(files)


def documents(text: str) -> list[dict]:
    return [document for document in yaml.safe_load_all(text) if document]
