"""The Argo CD objects of an environment: the project, an ApplicationSet per add-on and per service release, and
the root Application (app of apps) that reconciles them from platform/gitops/<env>.

Every ApplicationSet uses the cluster generator on the cluster secret's labels (metadata.py), so it makes one
Application on the clusters that enable its add-on, with values filled in from the secret's annotations.
"""

from __future__ import annotations

from tbyte.core.environment import Environment
from tbyte.gitops.catalogue import Addon
from tbyte.gitops.metadata import ENVIRONMENT_LABEL, enable_label
from tbyte.gitops.references import for_argocd
from tbyte.gitops.settings import GitOpsSettings

ARGOCD_NAMESPACE = "argocd"
PROJECT = "platform"
SERVICE_WAVE = 3
SYNC_POLICY = {
    "automated": {"prune": True, "selfHeal": True},
    # Server-side apply: kube-prometheus-stack's CRDs exceed the client-side annotation limit.
    "syncOptions": ["CreateNamespace=true", "ServerSideApply=true"],
    # Add-ons depend on each other's CRDs (ServiceMonitor, ExternalSecret): a first sync may wait for them.
    "retry": {"limit": 10, "backoff": {"duration": "30s", "factor": 2, "maxDuration": "10m"}},
}


def _meta(name: str, wave: int, labels: dict | None = None) -> dict:
    meta = {"name": name, "namespace": ARGOCD_NAMESPACE, "annotations": {"argocd.argoproj.io/sync-wave": str(wave)}}
    if labels:
        meta["labels"] = labels
    return meta


def project(env: Environment, addons: tuple[Addon, ...], gitops: GitOpsSettings) -> dict:
    """The AppProject of every platform Application: only the platform's repositories and namespaces."""
    repositories = sorted({gitops.repository} | {addon.chart["repository"] for addon in addons if addon.chart})
    namespaces = sorted({addon.namespace for addon in addons if not addon.is_bootstrap} | {"tbyte"})
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": _meta(PROJECT, -1, {ENVIRONMENT_LABEL: env.name}),
        "spec": {
            "description": f"The TByte platform of {env}: its add-ons and its services",
            "sourceRepos": repositories,
            "destinations": [{"server": "https://kubernetes.default.svc", "namespace": namespace}
                             for namespace in namespaces],
            # Add-ons install CRDs, ClusterRoles, webhooks and namespaces: cluster-scoped objects of any kind.
            "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        },
    }


def _cluster_generator(env: Environment, label: str | None = None) -> list[dict]:
    match = {ENVIRONMENT_LABEL: env.name, **({label: "true"} if label else {})}
    return [{"clusters": {"selector": {"matchLabels": match}}}]


def addon_applicationset(addon: Addon, env: Environment, gitops: GitOpsSettings, has_manifests: bool) -> dict:
    """One Application of the add-on's chart on every cluster of the environment that enables it."""
    chart = addon.chart
    sources = [{
        "repoURL": chart["repository"],
        "chart": chart["name"],
        "targetRevision": str(chart["version"]),
        "helm": {"releaseName": addon.name, "valuesObject": for_argocd(addon.values_for(env.name), env, addon)},
    }]
    if has_manifests:
        sources.append({"repoURL": gitops.repository, "targetRevision": gitops.revision,
                        "path": f"{gitops.path(env.name)}/manifests/{addon.name}"})
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": _meta(f"addon-{addon.name}", addon.sync_wave, {"tbyte.io/addon": addon.name}),
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": _cluster_generator(env, enable_label(addon)),
            "template": {
                "metadata": {"name": f"addon-{addon.name}", "labels": {"tbyte.io/addon": addon.name}},
                "spec": {
                    "project": PROJECT,
                    "sources": sources,
                    "destination": {"server": "{{ .server }}", "namespace": addon.namespace},
                    "syncPolicy": SYNC_POLICY,
                },
            },
        },
    }


def service_applicationset(name: str, namespace: str, values_text: str, env: Environment,
                           gitops: GitOpsSettings) -> dict:
    """The Application of one service release: the tbyte-service chart from git with the release's values."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": _meta(f"service-{name}", SERVICE_WAVE, {"tbyte.io/service": name}),
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": _cluster_generator(env),
            "template": {
                "metadata": {"name": name, "labels": {"tbyte.io/service": name}},
                "spec": {
                    "project": PROJECT,
                    "source": {"repoURL": gitops.repository, "targetRevision": gitops.revision,
                               "path": "helm/charts/tbyte-service",
                               "helm": {"releaseName": name, "values": values_text}},
                    "destination": {"server": "{{ .server }}", "namespace": namespace},
                    "syncPolicy": SYNC_POLICY,
                },
            },
        },
    }


def root_application(env: Environment, gitops: GitOpsSettings) -> dict:
    """The app of apps: everything under platform/gitops/<env> except the add-ons' own manifests."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": f"platform-{env.name}", "namespace": ARGOCD_NAMESPACE,
                     "labels": {ENVIRONMENT_LABEL: env.name}},
        "spec": {
            "project": "default",
            "source": {"repoURL": gitops.repository, "targetRevision": gitops.revision, "path": gitops.path(env.name),
                       "directory": {"recurse": True, "exclude": "manifests/**"}},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": ARGOCD_NAMESPACE},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                           "retry": SYNC_POLICY["retry"]},
        },
    }
