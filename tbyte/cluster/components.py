"""The processes of the local control plane, in start order, with their command lines and health checks.

etcd, kube-apiserver (TLS, client-certificate authentication, RBAC and Node authorization, service-account
signing keys), kube-controller-manager, kube-scheduler, kwok (simulated nodes and pods) and the Argo Rollouts
controller. Everything listens on 127.0.0.1, except the Rollouts controller's metrics and health ports, which
it always binds on every interface (it has no bind-address flag).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from tbyte.cluster.layout import POD_CIDR, SERVICE_CIDR, Layout
from tbyte.core import paths

DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local"
PORT_NAMES = ("etcd", "etcd-peer", "controller-manager", "scheduler", "kwok", "rollouts-metrics", "rollouts-health",
              "canary-signals")


@dataclass(frozen=True)
class Component:
    name: str
    command: list[str]
    health: str  # an https URL checked with the admin certificate, or http
    env: dict = field(default_factory=dict)


def components(layout: Layout, ports: dict[str, int], issuer: str = DEFAULT_ISSUER) -> list[Component]:
    pki, bin_ = layout.pki, paths.BIN
    loopback = "127.0.0.1"
    etcd = f"https://{loopback}:{ports['etcd']}"

    def client(name: str) -> list[str]:
        config = str(layout.kubeconfig(name))
        return [f"--kubeconfig={config}", f"--authentication-kubeconfig={config}",
                f"--authorization-kubeconfig={config}"]

    return [
        Component("etcd", [
            str(bin_ / "etcd"), "--name=local", f"--data-dir={layout.etcd_data}",
            f"--listen-client-urls={etcd}", f"--advertise-client-urls={etcd}",
            f"--listen-peer-urls=http://{loopback}:{ports['etcd-peer']}",
            f"--initial-advertise-peer-urls=http://{loopback}:{ports['etcd-peer']}",
            f"--initial-cluster=local=http://{loopback}:{ports['etcd-peer']}", "--initial-cluster-state=new",
            f"--cert-file={pki / 'etcd-server.crt'}", f"--key-file={pki / 'etcd-server.key'}",
            f"--trusted-ca-file={pki / 'ca.crt'}", "--client-cert-auth", "--unsafe-no-fsync",
            "--quota-backend-bytes=2147483648", "--log-level=warn",
        ], f"{etcd}/health"),
        Component("kube-apiserver", [
            str(bin_ / "kube-apiserver"), f"--etcd-servers={etcd}", f"--etcd-cafile={pki / 'ca.crt'}",
            f"--etcd-certfile={pki / 'apiserver-etcd-client.crt'}",
            f"--etcd-keyfile={pki / 'apiserver-etcd-client.key'}",
            f"--bind-address={loopback}", f"--advertise-address={loopback}", f"--secure-port={layout.port}",
            "--endpoint-reconciler-type=none",
            f"--tls-cert-file={pki / 'apiserver.crt'}", f"--tls-private-key-file={pki / 'apiserver.key'}",
            f"--client-ca-file={pki / 'ca.crt'}", "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction", f"--service-account-issuer={issuer}",
            f"--service-account-key-file={pki / 'sa.pub'}", f"--service-account-signing-key-file={pki / 'sa.key'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}", f"--cert-dir={layout.root / 'apiserver-certs'}",
            f"--requestheader-client-ca-file={pki / 'front-proxy-ca.crt'}",
            "--requestheader-allowed-names=front-proxy-client", "--requestheader-username-headers=X-Remote-User",
            "--requestheader-group-headers=X-Remote-Group", "--requestheader-extra-headers-prefix=X-Remote-Extra-",
            f"--proxy-client-cert-file={pki / 'front-proxy-client.crt'}",
            f"--proxy-client-key-file={pki / 'front-proxy-client.key'}", "--profiling=false", "--v=1",
        ], f"{layout.endpoint}/readyz"),
        Component("kube-controller-manager", [
            str(bin_ / "kube-controller-manager"), *client("controller-manager"), f"--bind-address={loopback}",
            f"--secure-port={ports['controller-manager']}", f"--cert-dir={layout.root / 'controller-manager-certs'}",
            "--leader-elect=false", "--use-service-account-credentials=true",
            f"--service-account-private-key-file={pki / 'sa.key'}", f"--root-ca-file={pki / 'ca.crt'}",
            f"--client-ca-file={pki / 'ca.crt'}", "--cluster-name=tbyte-local", "--profiling=false", "--v=1",
        ], f"https://{loopback}:{ports['controller-manager']}/healthz"),
        Component("kube-scheduler", [
            str(bin_ / "kube-scheduler"), *client("scheduler"), f"--bind-address={loopback}",
            f"--secure-port={ports['scheduler']}", f"--cert-dir={layout.root / 'scheduler-certs'}",
            f"--client-ca-file={pki / 'ca.crt'}", "--leader-elect=false", "--profiling=false", "--v=1",
        ], f"https://{loopback}:{ports['scheduler']}/healthz"),
        Component("kwok", [
            str(bin_ / "kwok"), f"--kubeconfig={layout.kubeconfig('kwok')}", "--manage-all-nodes=false",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            f"--server-address={loopback}:{ports['kwok']}", f"--node-ip={loopback}", f"--cidr={POD_CIDR}",
            "--node-lease-duration-seconds=40", "--v=INFO",
        ], f"http://{loopback}:{ports['kwok']}/healthz", env={"HOME": str(layout.root)}),  # no ~/.kwok config
        Component("argo-rollouts", [
            str(bin_ / "argo-rollouts"), f"--kubeconfig={layout.kubeconfig('argo-rollouts')}", "--leader-elect=false",
            f"--metricsport={ports['rollouts-metrics']}", f"--healthzPort={ports['rollouts-health']}",
            "--loglevel=info",
        ], f"http://{loopback}:{ports['rollouts-health']}/healthz", env={"POD_NAMESPACE": "argo-rollouts"}),
        Component("canary-signals", [
            sys.executable, "-m", "tbyte.cluster.canary_signals", f"--port={ports['canary-signals']}",
            f"--file={layout.signals_file}",
        ], f"http://{loopback}:{ports['canary-signals']}/healthz", env={"PYTHONPATH": str(paths.ROOT)}),
    ]

