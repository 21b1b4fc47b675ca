"""The helm command lines of every action, built by pure functions so that tests can assert them exactly."""

from __future__ import annotations

from pathlib import Path

from tbyte.core import paths
from tbyte.helm.releases import Release

CHART = paths.HELM / "charts" / "tbyte-service"
DEPLOY_TIMEOUT = "10m"
HISTORY_MAX = 10


def template_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                     chart: str | Path = CHART) -> list[str]:
    """`helm template` of a release, offline: the environment's Kubernetes version and add-on APIs given."""
    command = [str(helm), "template", release.name, str(chart), "--namespace", release.namespace,
               "--values", str(values_file), "--kube-version", release.kube_version]
    for api in release.api_versions:
        command += ["--api-versions", api]
    return command


def lint_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                 chart: str | Path = CHART) -> list[str]:
    """`helm lint --strict` with a release's values (lint has no --api-versions: see lint_values)."""
    return [str(helm), "lint", "--strict", str(chart), "--namespace", release.namespace,
            "--values", str(values_file), "--kube-version", release.kube_version]


def lint_values(release: Release) -> dict:
    """The release's values, with the environment's add-on APIs assumed (helm lint cannot be told them)."""
    return {**release.values, "assumeAPIVersions": list(release.api_versions)}


def deploy_command(release: Release, values_file: str | Path, kube_context: str, kubeconfig: str | Path,
                   helm: str | Path = "helm", chart: str | Path = CHART, timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm upgrade --install` of a release: atomic (a failed upgrade rolls back), waits until ready."""
    return [str(helm), "upgrade", "--install", release.name, str(chart),
            "--namespace", release.namespace, "--create-namespace",
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--values", str(values_file),
            "--atomic", "--wait", "--timeout", timeout, "--history-max", str(HISTORY_MAX)]


def rollback_command(release: Release, kube_context: str, kubeconfig: str | Path, revision: int | None = None,
                     helm: str | Path = "helm", timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm rollback` of a release to a revision (default: the previous one)."""
    return [str(helm), "rollback", release.name, *([str(revision)] if revision is not None else []),
            "--namespace", release.namespace, "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--wait", "--timeout", timeout, "--cleanup-on-fail", "--history-max", str(HISTORY_MAX)]


def status_command(release: Release, kube_context: str, kubeconfig: str | Path, helm: str | Path = "helm") -> list[str]:
    return [str(helm), "status", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig), "--output", "json"]


def get_manifest_command(release: Release, kube_context: str, kubeconfig: str | Path,
                         helm: str | Path = "helm") -> list[str]:
    return [str(helm), "get", "manifest", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig)]
