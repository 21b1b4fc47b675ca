"""The environment's EKS cluster as Helm reaches it: kube context, kubeconfig, reachability."""

from __future__ import annotations

import shutil
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.files import write_private
from tbyte.helm.render import WORK

# A deploy gives up at once when the cluster's endpoint does not accept a TCP connection within this time.
PROBE_SECONDS = 3.0


@dataclass(frozen=True)
class Cluster:
    """An environment's EKS cluster as its outputs describe it."""

    name: str
    context: str
    endpoint: str
    certificate_authority_data: str
    region: str


def cluster(env: Environment, outputs: dict) -> Cluster:
    """The cluster from the eks outputs; the kube context is the cluster's ARN (as `aws eks update-kubeconfig`)."""
    eks = outputs.get("eks") or {}
    missing = [name for name in ("cluster_name", "cluster_endpoint", "cluster_certificate_authority_data")
               if not eks.get(name)]
    if missing:
        raise Refused(f"the eks stack of {env} has no {', '.join(missing)} output (not applied?); "
                        "no cluster to talk to")
    context = eks.get("cluster_arn") or f"arn:aws:eks:{env.region}:{env.account_id}:cluster/{eks['cluster_name']}"
    return Cluster(eks["cluster_name"], context, eks["cluster_endpoint"], eks["cluster_certificate_authority_data"],
                   env.region)


def credentials(env: Environment, target: Cluster) -> dict:
    """How the environment's identity authenticates to its cluster: for AWS a token from `aws eks get-token` (the
    caller's AWS identity); for local a client certificate of the local control plane's CA (its admin)."""
    if env.is_local:
        certificates = paths.LOCAL_CLUSTERS / str(env.settings.kube_port) / "pki"
        return {"client-certificate": str(certificates / "admin.crt"), "client-key": str(certificates / "admin.key")}
    return {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": "aws",
        "args": ["--region", target.region, "eks", "get-token", "--cluster-name", target.name, "--output", "json"],
        "interactiveMode": "Never",
    }}


def kubeconfig(target: Cluster, namespace: str, user: dict) -> dict:
    """A kubeconfig for the cluster whose user authenticates as `user` says (see `credentials`)."""
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": target.context, "cluster": {
            "server": target.endpoint, "certificate-authority-data": target.certificate_authority_data}}],
        "users": [{"name": target.context, "user": user}],
        "contexts": [{"name": target.context, "context": {
            "cluster": target.context, "user": target.context, "namespace": namespace}}],
        "current-context": target.context,
    }


def write_kubeconfig(env: Environment, target: Cluster, namespace: str) -> Path:
    config = kubeconfig(target, namespace, credentials(env, target))
    return write_private(WORK / env.name / "kubeconfig", yaml.safe_dump(config, sort_keys=False))


def probe(endpoint: str, seconds: float = PROBE_SECONDS) -> str | None:
    """None when the endpoint accepts a TCP connection within `seconds` (name lookup included), else why not."""
    parsed = urlparse(endpoint if "://" in endpoint else f"https://{endpoint}")
    host, port = parsed.hostname, parsed.port or (80 if parsed.scheme == "http" else 443)
    if not host:
        return f"{endpoint!r} is not a URL"
    outcome: dict = {}

    def connect():
        try:
            socket.create_connection((host, port), timeout=seconds).close()
            outcome["ok"] = True
        except OSError as error:
            outcome["error"] = error.strerror or str(error)

    attempt = threading.Thread(target=connect, daemon=True)
    attempt.start()
    attempt.join(seconds)
    if outcome.get("ok"):
        return None
    return outcome.get("error") or f"no answer within {seconds:g}s"


def require_reachable(env: Environment, target: Cluster, action: str) -> None:
    reason = probe(target.endpoint)
    if reason:
        raise Refused(f"the {env} cluster {target.name} ({target.endpoint}) cannot be reached from here: {reason}; "
                        f"{action} needs network access to its API endpoint (VPN or bastion for a private endpoint); "
                        "nothing was changed")


def require_aws_cli(env: Environment) -> None:
    """AWS clusters authenticate through the AWS CLI; local through a client certificate."""
    if not env.is_local and not shutil.which("aws"):
        raise Refused("the kubeconfig authenticates with `aws eks get-token`, and the AWS CLI is not on PATH; "
                        "install it (https://aws.amazon.com/cli/); nothing was changed")
