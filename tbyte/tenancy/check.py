"""The allow/deny matrix: every group and service account of an environment, every probe of
platform/tenants.yaml in every namespace (and the cluster-wide ones), asked of the API server with a
SubjectAccessReview and compared with what the declaration says.

    run(tenancy, kubeconfig, context) -> Matrix

A SubjectAccessReview names the user and groups it asks about, so the checker needs none of their credentials:
only `create` on subjectaccessreviews (the ClusterRole tbyte:read-only:cluster, bound to every read-only
group; platform-admin has it too). On EKS a review carries no IAM identity, so the EKS authorizer (access
policies) does not answer it: what it measures is the cluster's RBAC, which holds every declared right
(a level's access policy rules are part of its Role, see access_policies.py).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from tbyte.tenancy.kube import Kube
from tbyte.tenancy.model import Subject, Tenancy
from tbyte.tenancy.rbac import Probe

CLUSTER = ""  # the namespace of a cluster-wide cell
PARALLEL = 4


@dataclass(frozen=True)
class Cell:
    subject: str
    namespace: str  # "" for a cluster-wide probe
    probe: str
    expected: bool
    allowed: bool
    reason: str

    @property
    def ok(self) -> bool:
        return self.expected == self.allowed


@dataclass(frozen=True)
class Matrix:
    env: str
    context: str
    cells: tuple[Cell, ...]

    @property
    def mismatches(self) -> list[Cell]:
        return [cell for cell in self.cells if not cell.ok]

    def as_json(self) -> dict:
        return {"environment": self.env, "context": self.context, "cells": [asdict(cell) for cell in self.cells],
                "summary": {"cells": len(self.cells), "as_declared": len(self.cells) - len(self.mismatches),
                            "differ": len(self.mismatches)}}


def cells_to_ask(tenancy: Tenancy) -> list[tuple[Subject, str, Probe, bool]]:
    """(subject, namespace, probe, expected) of every cell of the environment's matrix."""
    cells = []
    for subject in tenancy.subjects():
        for namespace in tenancy.check_namespaces:
            for probe in tenancy.namespaced_probes:
                cells.append((subject, namespace, probe, tenancy.expected(subject, probe, namespace)))
        for probe in tenancy.cluster_probes:
            cells.append((subject, CLUSTER, probe, tenancy.expected(subject, probe, CLUSTER)))
    return cells


def ask(kube: Kube, tenancy: Tenancy) -> Matrix:
    """The matrix, as the API server behind `kube` answers it."""

    def one(cell):
        subject, namespace, probe, expected = cell
        allowed, reason = kube.access_review(subject.user, subject.groups, probe.resource_attributes(namespace))
        return Cell(subject.name, namespace, str(probe), expected, allowed, reason)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        cells = tuple(pool.map(one, cells_to_ask(tenancy)))
    return Matrix(tenancy.env, kube.context, cells)


def run(tenancy: Tenancy, kubeconfig: Path | str, context: str) -> Matrix:
    """The entry point: the matrix of `tenancy` on the cluster of a kubeconfig's context."""
    return ask(Kube.from_kubeconfig(kubeconfig, context), tenancy)
