"""Fixtures of the tenancy tests: the tenancy chart rendered once per environment, and the local Kubernetes
control plane (tbyte/cluster: etcd, kube-apiserver with RBAC and client-certificate authentication,
controller-manager, scheduler, kwok, Argo Rollouts) for the tests that ask a real API server (marked slow).
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tbyte.cluster import local
from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.settings import Settings
from tbyte.emulator.manager import free_port
from tbyte.tenancy import manifests
from tbyte.tenancy.model import tenancy

ENVIRONMENTS = ("local", "dev", "stage", "prod")


@functools.cache
def rendered(env: str) -> tuple[dict, ...]:
    """The documents of the environment's tenancy chart (helm template)."""
    return tuple(document for document in yaml.safe_load_all(manifests.render(tenancy(env))) if document)


def of_kind(documents, kind: str) -> list[dict]:
    return [document for document in documents if document["kind"] == kind]


@dataclass(frozen=True)
class Cluster:
    """A running API server: the admin kubeconfig (system:masters) and its context, and its CA (ca.crt, ca.key)."""

    kubeconfig: Path
    context: str
    ca_cert: Path
    ca_key: Path
    endpoint: str


@pytest.fixture(scope="session")
def cluster():
    """The repository's local control plane on free ports of its own, started for the session, then stopped and
    removed (data, certificates, kubeconfigs)."""
    settings = Settings.from_config({"kube_port": str(free_port()), "emulator_port": str(free_port())})
    target = Environment.resolve("local", settings)
    try:
        local.start(target)
        where = local.layout(target)
        yield Cluster(where.kubeconfig(), "tbyte-local", where.ca.cert_path, where.ca.key_path, where.endpoint)
    finally:
        local.remove(target)
        shutil.rmtree(paths.TOOLCHAIN / "tenancy" / str(settings.kube_port), ignore_errors=True)
