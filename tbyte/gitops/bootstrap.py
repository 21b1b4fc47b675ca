"""gitops.bootstrap: Argo CD into a cluster, with the cluster secret and the root Application, applied by the pinned
helm through a kubeconfig.

The manifests (render.py's bootstrap/ part) become one Helm release, `argocd-bootstrap` in namespace argocd: the
upstream CRDs in the chart's crds/ folder (installed first, never deleted by helm), everything else as templates
that include the files verbatim (`.Files.Get`), so that the `{{ }}` of Argo CD's own manifests and of the
ApplicationSets reach the cluster untouched. After that Argo CD reconciles the rest from git.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import yaml

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.errors import ChangeFailed, Refused
from tbyte.gitops.applications import ARGOCD_NAMESPACE
from tbyte.helm.render import helm_binary, helm_environment

RELEASE = "argocd-bootstrap"
TIMEOUT = "10m"
TEMPLATE = """{{- range $path, $_ := .Files.Glob "manifests/*.yaml" }}
{{ $.Files.Get $path }}
---
{{- end }}
"""


def cluster_secret(name: str, annotations: dict[str, str], labels: dict[str, str]) -> dict:
    """Argo CD's own cluster (in-cluster), named after the EKS cluster, carrying the cluster metadata.

    It holds no credential: Argo CD reaches its own cluster with its service account.
    """
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": ARGOCD_NAMESPACE, "labels": labels, "annotations": annotations},
        "type": "Opaque",
        "stringData": {"name": name, "server": "https://kubernetes.default.svc",
                       "config": '{"tlsClientConfig":{"insecure":false}}'},
    }


def chart(bootstrap_dir: Path, work: Path) -> Path:
    """A chart made of the rendered bootstrap manifests (crds/ as Helm CRDs, the rest as files)."""
    root = work / RELEASE
    (root / "crds").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "manifests").mkdir()
    (root / "Chart.yaml").write_text(yaml.safe_dump({
        "apiVersion": "v2", "name": RELEASE, "version": "1.0.0", "type": "application",
        "description": "Argo CD, its cluster secret and the root Application of the TByte platform"}))
    for path in sorted((bootstrap_dir / "crds").glob("*.yaml")):
        (root / "crds" / path.name).write_text(path.read_text())
    for path in sorted(bootstrap_dir.glob("*.yaml")):
        (root / "manifests" / path.name).write_text(path.read_text())
    (root / "templates" / "manifests.yaml").write_text(TEMPLATE)
    return root


def apply_command(chart_dir: Path, kubeconfig: Path, context: str | None, helm: str | Path) -> list[str]:
    command = [str(helm), "upgrade", "--install", RELEASE, str(chart_dir), "--namespace", ARGOCD_NAMESPACE,
               "--create-namespace", "--kubeconfig", str(kubeconfig), "--wait", "--timeout", TIMEOUT,
               "--history-max", "5"]
    return command + (["--kube-context", context] if context else [])


def apply(bootstrap_dir: Path, kubeconfig: Path, context: str | None = None, dry_run: bool = False,
          log=say) -> list[str]:
    """Install or upgrade the bootstrap release; the helm command it ran (or would run, with dry_run)."""
    if not Path(kubeconfig).is_file():
        raise Refused(f"--kubeconfig {kubeconfig}: no such file")
    helm = helm_binary()
    with tempfile.TemporaryDirectory(prefix="tbyte-gitops-") as work:
        command = apply_command(chart(bootstrap_dir, Path(work)), Path(kubeconfig), context, helm)
        if dry_run:
            command += ["--dry-run=server"]
        log(f"applying {paths.shown(bootstrap_dir)} as the helm release {ARGOCD_NAMESPACE}/{RELEASE}")
        result = subprocess.run(command, capture_output=True, text=True,
                                env={**helm_environment(), "KUBECONFIG": str(kubeconfig), **_no_proxy()})
    if result.returncode != 0:
        raise ChangeFailed(f"helm upgrade --install {RELEASE} failed:\n{(result.stderr or result.stdout).strip()}",
                           f"helm rollback {RELEASE} --namespace {ARGOCD_NAMESPACE} --kubeconfig {kubeconfig}")
    return command


def _no_proxy() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key.upper() == "NO_PROXY"}
