"""A small Kubernetes API client: a kubeconfig context (client certificate, bearer token or exec plugin such
as `aws eks get-token`), JSON requests over one kept-alive TLS connection per thread.

    Kube.from_kubeconfig(path, context) -> Kube
    kube.request(method, path, body=None) -> (status, document)
    kube.access_review(user, groups, attributes) -> (allowed, reason)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tbyte.core.errors import Refused
from tbyte.core.files import write_private

TIMEOUT_SECONDS = 15


def _named(items, name: str, kind: str, path: Path) -> dict:
    for item in items or []:
        if item.get("name") == name:
            return item.get(kind) or {}
    raise Refused(f"--kubeconfig {path}: no {kind} named {name!r}")


@dataclass
class Kube:
    server: str
    context: str
    ssl_context: ssl.SSLContext
    token: str | None = None
    impersonate: tuple[str, tuple[str, ...]] | None = None  # (user, groups) the requests are made as
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @classmethod
    def from_kubeconfig(cls, path: Path | str, context: str) -> Kube:
        """The API server of a kubeconfig's context, with its credentials; refused when anything is missing."""
        path = Path(path).expanduser()
        try:
            config = yaml.safe_load(path.read_text()) or {}
        except OSError as error:
            raise Refused(f"--kubeconfig {path} cannot be read: {error.strerror or error}") from None
        except yaml.YAMLError:
            raise Refused(f"--kubeconfig {path} is not a kubeconfig (invalid YAML)") from None
        contexts = [item.get("name") for item in config.get("contexts") or []]
        if context not in contexts:
            raise Refused(f"--kube-context: no context {context!r} in {path}; "
                          f"its contexts: {', '.join(contexts) or 'none'}")
        chosen = _named(config.get("contexts"), context, "context", path)
        cluster = _named(config.get("clusters"), chosen.get("cluster"), "cluster", path)
        user = _named(config.get("users"), chosen.get("user"), "user", path)
        server = str(cluster.get("server") or "")
        if urlparse(server).scheme != "https":
            raise Refused(f"--kubeconfig {path}: the cluster of context {context!r} has no https server")
        base = path.parent
        with tempfile.TemporaryDirectory(prefix="tbyte-kube-") as scratch:
            material = _Material(Path(scratch), base)
            if cluster.get("insecure-skip-tls-verify"):
                raise Refused(f"--kubeconfig {path}: context {context!r} skips TLS verification; refused")
            ca = material.file(cluster, "certificate-authority", "ca.crt")
            tls = ssl.create_default_context(cafile=str(ca) if ca else None)
            if user.get("exec"):
                user = {**user, **_exec_credential(user["exec"], path)}
            certificate = material.file(user, "client-certificate", "client.crt")
            key = material.file(user, "client-key", "client.key")
            if certificate and key:
                tls.load_cert_chain(str(certificate), str(key))
            token = user.get("token")
            if not token and user.get("tokenFile"):
                token = (base / user["tokenFile"]).read_text().strip()
            if not (certificate and key) and not token:
                raise Refused(f"--kubeconfig {path}: the user of context {context!r} has no client certificate, "
                              "token or exec plugin")
        return cls(server.rstrip("/"), context, tls, token)

    def impersonating(self, user: str, groups: tuple[str, ...]) -> Kube:
        """The same client, its requests made as `user` in `groups` (the credentials need `impersonate`)."""
        return Kube(self.server, self.context, self.ssl_context, self.token, (user, tuple(groups)))

    def _connection(self) -> http.client.HTTPSConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            parsed = urlparse(self.server)
            connection = http.client.HTTPSConnection(parsed.hostname, parsed.port or 443, context=self.ssl_context,
                                                     timeout=TIMEOUT_SECONDS)
            self._local.connection = connection
        return connection

    def request(self, method: str, path: str, body: dict | None = None,
                content_type: str = "application/json") -> tuple[int, dict]:
        """One API request; the status and the JSON document answered. An unreachable server is refused."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        impersonation = []
        if self.impersonate:
            user, groups = self.impersonate
            impersonation = [("Impersonate-User", user), *(("Impersonate-Group", group) for group in groups)]
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        prefix = urlparse(self.server).path.rstrip("/")
        for attempt in (1, 2):  # a kept-alive connection the server closed is reopened once
            connection = self._connection()
            try:
                connection.putrequest(method, prefix + path)
                for name, value in [*headers.items(), *impersonation]:
                    connection.putheader(name, value)
                if data is not None:
                    connection.putheader("Content-Length", str(len(data)))
                connection.endheaders(data)
                response = connection.getresponse()
                text = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise Refused(f"the API server {self.server} closed the connection") from None
            except (OSError, ssl.SSLError) as error:
                connection.close()
                self._local.connection = None
                raise Refused(f"the API server {self.server} (context {self.context}) cannot be reached: "
                              f"{getattr(error, 'strerror', None) or error}") from None
        try:
            document = json.loads(text) if text else {}
        except json.JSONDecodeError:
            document = {"message": text.decode(errors="replace")[:300]}
        return response.status, document

    def access_review(self, user: str, groups: tuple[str, ...], attributes: dict) -> tuple[bool, str]:
        """Whether the API server allows `user` in `groups` a request (resourceAttributes of a
        SubjectAccessReview), and the authorizer's reason."""
        review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                  "spec": {"user": user, "groups": list(groups), "resourceAttributes": attributes}}
        status, answer = self.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", review)
        if status == 403:
            raise Refused(f"the credentials of context {self.context} may not create SubjectAccessReviews: "
                          "they need the ClusterRole tbyte:read-only:cluster (any read-only group has it)")
        if status != 201:
            raise Refused(f"SubjectAccessReview answered {status}: {answer.get('message', answer)}")
        result = answer.get("status") or {}
        return bool(result.get("allowed")) and not result.get("denied"), str(result.get("reason") or "")

    def adopt_namespace(self, name: str, release: str, release_namespace: str) -> bool:
        """Hand an existing namespace that no Helm release owns to `release` (Helm's adoption metadata);
        False when it does not exist or already belongs to the release."""
        status, namespace = self.request("GET", f"/api/v1/namespaces/{name}")
        if status == 404:
            return False
        if status != 200:
            raise Refused(f"reading namespace {name} answered {status}: {namespace.get('message', '')}")
        annotations = (namespace.get("metadata") or {}).get("annotations") or {}
        owner = annotations.get("meta.helm.sh/release-name")
        if owner == release:
            return False
        if owner:
            raise Refused(f"namespace {name} belongs to the Helm release {owner!r}; the tenancy declares it: "
                          f"remove it from that release first; nothing was changed")
        patch = {"metadata": {"labels": {"app.kubernetes.io/managed-by": "Helm"},
                              "annotations": {"meta.helm.sh/release-name": release,
                                              "meta.helm.sh/release-namespace": release_namespace}}}
        status, answer = self.request("PATCH", f"/api/v1/namespaces/{name}", patch, "application/merge-patch+json")
        if status != 200:
            raise Refused(f"adopting namespace {name} answered {status}: {answer.get('message', '')}")
        return True


class _Material:
    """Certificate material of a kubeconfig entry as files (ssl reads files): `<key>` is a path (relative to
    the kubeconfig), `<key>-data` base64 content, written 0600 in a scratch folder deleted after loading."""

    def __init__(self, scratch: Path, base: Path):
        self.scratch = scratch
        self.base = base

    def file(self, entry: dict, key: str, name: str) -> Path | None:
        if entry.get(f"{key}-data"):
            return write_private(self.scratch / name, base64.b64decode(entry[f"{key}-data"]))
        if entry.get(key):
            path = Path(entry[key]).expanduser()
            return path if path.is_absolute() else self.base / path
        return None


def _exec_credential(spec: dict, path: Path) -> dict:
    """Run a kubeconfig exec plugin (e.g. `aws eks get-token`); its token or client certificate."""
    command = spec.get("command")
    if not command or not shutil.which(command):
        raise Refused(f"--kubeconfig {path}: the exec plugin {command!r} is not on PATH")
    environment = {**os.environ, **{item["name"]: item["value"] for item in spec.get("env") or []}}
    result = subprocess.run([command, *(spec.get("args") or [])], capture_output=True, text=True, env=environment,
                            timeout=60)
    if result.returncode != 0:
        raise Refused(f"the exec plugin {command} failed: {' '.join(result.stderr.split())[:300]}")
    try:
        status = json.loads(result.stdout).get("status") or {}
    except json.JSONDecodeError:
        raise Refused(f"the exec plugin {command} did not print an ExecCredential") from None
    found = {}
    if status.get("token"):
        found["token"] = status["token"]
    if status.get("clientCertificateData") and status.get("clientKeyData"):
        found["client-certificate-data"] = base64.b64encode(status["clientCertificateData"].encode()).decode()
        found["client-key-data"] = base64.b64encode(status["clientKeyData"].encode()).decode()
    return found
