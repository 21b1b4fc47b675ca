"""Where the local control plane keeps everything, and its certificates.

One folder per API server port, .toolchain/cluster/<port>/ (0700): pki/ (a private CA made at the first
start, the serving and client certificates, the service-account signing keys), etcd/ (the data), logs/,
run/ (pid files, the ports chosen at start) and the kubeconfigs (0600). Every client of the API server
authenticates with a client certificate of this CA: CN is the user, O its groups.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from tbyte.core import paths, pki
from tbyte.core.files import private_dir, write_private
from tbyte.core.settings import Settings

SERVICE_CIDR = "10.100.0.0/16"  # as EKS's default service range
POD_CIDR = "10.244.0.1/16"  # kwok hands pod IPs out of it; they exist only as API data
# The clients of the API server: file name -> (user, groups).
CLIENTS = {
    "admin": ("tbyte-local-admin", ("system:masters",)),
    "controller-manager": ("system:kube-controller-manager", ()),
    "scheduler": ("system:kube-scheduler", ()),
    "kwok": ("kwok-controller", ()),
    "argo-rollouts": ("argo-rollouts-controller", ()),
}


@dataclass(frozen=True)
class Layout:
    port: int

    @classmethod
    def of(cls, settings: Settings) -> Layout:
        return cls(settings.kube_port)

    @property
    def root(self) -> Path:
        return paths.LOCAL_CLUSTERS / str(self.port)

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def pki(self) -> Path:
        return self.root / "pki"

    @property
    def ca(self) -> pki.Authority:
        return pki.Authority(self.pki, "ca")

    @property
    def front_proxy_ca(self) -> pki.Authority:
        return pki.Authority(self.pki, "front-proxy-ca")

    @property
    def etcd_data(self) -> Path:
        return self.root / "etcd"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    def kubeconfig(self, client: str = "admin") -> Path:
        return self.root / f"{client}.kubeconfig"

    @property
    def signals_file(self) -> Path:
        return self.root / "canary-signals.json"

    def outputs(self) -> dict:
        """What the releases of local may refer to as ${cluster.<name>} (while the control plane runs)."""
        port = self.ports().get("canary-signals")
        return {"canary_signals_url": f"http://127.0.0.1:{port}/canary"} if port else {}

    @property
    def ports_file(self) -> Path:
        return self.run / "ports.json"

    def ports(self) -> dict[str, int]:
        try:
            return json.loads(self.ports_file.read_text())
        except (OSError, json.JSONDecodeError):
            return {}

    def ca_data(self) -> str:
        """The CA certificate base64-encoded, as EKS reports its certificate authority."""
        return base64.b64encode(self.ca.cert_path.read_bytes()).decode()

    def ensure_pki(self) -> None:
        """The CA, the certificates and the client kubeconfigs; made once, kept until `invoke down`."""
        private_dir(self.pki)
        if not self.ca.exists():
            self.ca.create("tbyte-local-kubernetes-ca")
            self.front_proxy_ca.create("tbyte-local-front-proxy-ca")
            hosts = ("127.0.0.1", "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                     "kubernetes.default.svc.cluster.local", "10.100.0.1")
            self.ca.issue("apiserver", "kube-apiserver", hosts=hosts, server=True)
            self.ca.issue("etcd-server", "etcd", hosts=("127.0.0.1", "localhost"), server=True)
            self.ca.issue("apiserver-etcd-client", "kube-apiserver-etcd-client")
            self.front_proxy_ca.issue("front-proxy-client", "front-proxy-client")
            pki.signing_key_pair(self.pki, "sa")
            for name, (user, groups) in CLIENTS.items():
                self.ca.issue(name, user, organizations=groups)
        for name in CLIENTS:
            if not self.kubeconfig(name).exists():
                write_private(self.kubeconfig(name), yaml.safe_dump(self.client_config(name), sort_keys=False))

    def client_config(self, client: str, namespace: str | None = None) -> dict:
        """A kubeconfig of one client certificate for this API server."""
        context = {"cluster": "tbyte-local", "user": client, **({"namespace": namespace} if namespace else {})}
        return {
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "tbyte-local", "cluster": {"server": self.endpoint,
                                                              "certificate-authority": str(self.ca.cert_path)}}],
            "users": [{"name": client, "user": {"client-certificate": str(self.pki / f"{client}.crt"),
                                                "client-key": str(self.pki / f"{client}.key")}}],
            "contexts": [{"name": "tbyte-local", "context": context}],
            "current-context": "tbyte-local",
        }
