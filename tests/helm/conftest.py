"""Fixtures of the Helm tests: the pinned helm, the example outputs, every release rendered once per worker."""

from __future__ import annotations

import functools

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.helm import outputs as helm_outputs
from tbyte.helm import render as helm_render
from tests.conftest import run_invoke

ENVIRONMENTS = ("local", "dev", "stage", "prod")
RELEASES = ("frontend", "api", "worker")
# Kinds of custom resources (CRDs) that kubernetes-validate has no schema for; every other kind is validated.
CRD_KINDS = frozenset({"Rollout", "AnalysisTemplate", "ExternalSecret", "SecretStore", "ServiceMonitor", "PodMonitor",
                       "PrometheusRule"})


@functools.cache
def environment(name: str) -> Environment:
    """The Environment of a release file's environment (default settings)."""
    return Environment.resolve(name)


@pytest.fixture(scope="session")
def helm_bin():
    return helm_render.helm_binary()


@pytest.fixture(scope="session")
def rendered(helm_bin):
    """{(env, release): [documents]} rendered from the example outputs, computed on first use per environment."""
    cache: dict = {}

    def get(env: str, release: str) -> list[dict]:
        if (env, release) not in cache:
            for name, text in helm_render.render_all(environment(env), helm_outputs.example_outputs(env)).items():
                cache[(env, name)] = [document for document in yaml.safe_load_all(text) if document]
        return cache[(env, release)]

    return get


def by_kind(documents: list[dict], kind: str) -> list[dict]:
    return [document for document in documents if document["kind"] == kind]


def one(documents: list[dict], kind: str, name: str | None = None) -> dict:
    found = [d for d in by_kind(documents, kind) if name is None or d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def workload(documents: list[dict]) -> dict:
    """The Deployment or (canary) Rollout of a release."""
    found = by_kind(documents, "Deployment") + by_kind(documents, "Rollout")
    assert len(found) == 1, [d["kind"] for d in found]
    return found[0]


def invoke(*args, cwd=None):
    """Run an invoke task of the repository in a subprocess."""
    return run_invoke(*args, cwd=cwd, env={"AWS_EC2_METADATA_DISABLED": "true"})
