"""One read of the cluster: every object the analyzers look at, fetched with `kubectl get` only.

Three list calls (namespaced kinds, cluster-wide kinds, Argo Rollouts' kinds when the cluster serves them) and,
when needed, the names of a namespace's Secrets (`-o name`: never their data) and whether an APIService exists.
The analyzers work on this snapshot, so they are plain functions of data, tested without a cluster.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tbyte.cluster.kubectl import Kubectl
from tbyte.core.errors import Refused

NAMESPACED = ("pods", "services", "endpointslices.discovery.k8s.io", "ingresses.networking.k8s.io",
              "horizontalpodautoscalers.autoscaling", "poddisruptionbudgets.policy", "deployments.apps",
              "replicasets.apps", "persistentvolumeclaims")
CLUSTER = ("nodes", "ingressclasses.networking.k8s.io", "storageclasses.storage.k8s.io")
ARGO = ("rollouts.argoproj.io", "analysisruns.argoproj.io")
READ_VERBS = ("get",)


class Reader:
    """kubectl, for reading only: every command it runs is a `get`."""

    def __init__(self, kubectl: Kubectl):
        self.kubectl = kubectl

    def get(self, *args: str) -> tuple[int, str, str]:
        result = self.kubectl.run("get", *args, check=False)
        return result.returncode, result.stdout, result.stderr

    def items(self, kinds: tuple[str, ...], namespace: str | None, optional: bool = False) -> list[dict]:
        scope = ["-n", namespace] if namespace else ["--all-namespaces"]
        code, out, err = self.get(",".join(kinds), *scope, "-o", "json")
        if code != 0:
            if optional and ("doesn't have a resource type" in err or "the server could not find" in err):
                return []
            raise Refused(f"kubectl get {','.join(kinds)} failed: {err.strip()}")
        return json.loads(out).get("items", [])


@dataclass
class Snapshot:
    objects: dict[str, list[dict]]  # kind (Pod, Service, ...) -> items
    reader: Reader | None = None
    namespace: str | None = None
    _secrets: dict[str, set[str]] = field(default_factory=dict)
    _api_services: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def read(cls, reader: Reader, namespace: str | None = None) -> Snapshot:
        found: dict[str, list[dict]] = {}
        for item in (reader.items(NAMESPACED, namespace) + reader.items(CLUSTER, None)
                     + reader.items(ARGO, namespace, optional=True)):
            found.setdefault(item["kind"], []).append(item)
        return cls(found, reader, namespace)

    def of(self, kind: str, namespace: str | None = None) -> list[dict]:
        items = self.objects.get(kind, [])
        return [item for item in items if namespace is None or item["metadata"].get("namespace") == namespace]

    def find(self, kind: str, namespace: str | None, name: str) -> dict | None:
        for item in self.of(kind, namespace):
            if item["metadata"]["name"] == name:
                return item
        return None

    def secret_names(self, namespace: str) -> set[str]:
        """The names of the namespace's Secrets (`kubectl get secrets -o name`: no data is read)."""
        if namespace not in self._secrets:
            names: set[str] = set()
            if self.reader is not None:
                code, out, err = self.reader.get("secrets", "-n", namespace, "-o", "name")
                if code != 0:
                    raise Refused(f"kubectl get secrets -n {namespace} failed: {err.strip()}")
                names = {line.split("/", 1)[-1] for line in out.split()}
            self._secrets[namespace] = names
        return self._secrets[namespace]

    def api_service_exists(self, name: str) -> bool:
        if name not in self._api_services:
            exists = False
            if self.reader is not None:
                code, _, err = self.reader.get("apiservices.apiregistration.k8s.io", name, "-o", "name")
                if code != 0 and "NotFound" not in err and "not found" not in err:
                    raise Refused(f"kubectl get apiservice {name} failed: {err.strip()}")
                exists = code == 0
            self._api_services[name] = exists
        return self._api_services[name]
