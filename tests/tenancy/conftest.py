"""Fixtures of the tenancy tests: the tenancy chart rendered once per environment, and a local Kubernetes
control plane for the tests that ask a real API server (marked slow).

The control plane is, for now, the throwaway prototype of /tmp/k8s-prototype (etcd, kube-apiserver with RBAC
and client-certificate authentication, controller-manager, scheduler, kwok, Argo Rollouts): `run.py --keep`
starts it on free ports and `stop.sh` ends it. When tbyte/cluster provides the repository's own local control
plane, `cluster` below is the only fixture to switch to it (see docs/tenancy.md, "Tests").
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tbyte.tenancy import manifests
from tbyte.tenancy.model import tenancy

ENVIRONMENTS = ("local", "dev", "stage", "prod")
PROTOTYPE = Path("/tmp/k8s-prototype")
PROTOTYPE_PYTHON = Path("/work/main/.venv/bin/python")


@functools.cache
def rendered(env: str) -> tuple[dict, ...]:
    """The documents of the environment's tenancy chart (helm template)."""
    return tuple(document for document in yaml.safe_load_all(manifests.render(tenancy(env))) if document)


def of_kind(documents, kind: str) -> list[dict]:
    return [document for document in documents if document["kind"] == kind]


@dataclass(frozen=True)
class Cluster:
    """A running API server: the admin kubeconfig (system:masters) and its context, and the folder of its PKI."""

    kubeconfig: Path
    context: str
    pki: Path


@pytest.fixture(scope="session")
def cluster():
    """A local control plane with RBAC and client certificates, started for the session and always stopped."""
    if not (PROTOTYPE / "run.py").is_file() or not PROTOTYPE_PYTHON.is_file():
        pytest.fail(f"the local control plane ({PROTOTYPE}/run.py) is not available on this machine")
    started = subprocess.run([str(PROTOTYPE_PYTHON), str(PROTOTYPE / "run.py"), "--keep"], capture_output=True,
                             text=True, timeout=600)
    found = re.search(r"work dir (\S+) ", started.stdout)
    if started.returncode != 0 or not found:
        if found:
            subprocess.run(["bash", str(PROTOTYPE / "stop.sh"), found.group(1)], capture_output=True)
            shutil.rmtree(found.group(1), ignore_errors=True)
        pytest.fail(f"the local control plane did not start: {started.stdout[-2000:]}{started.stderr[-2000:]}")
    work = Path(found.group(1))
    try:
        yield Cluster(work / "pki" / "admin.kubeconfig", "local", work / "pki")
    finally:
        subprocess.run(["bash", str(PROTOTYPE / "stop.sh"), str(work)], capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)
