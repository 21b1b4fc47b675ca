"""Start, stop and report the processes of the local control plane (pid files, health checks, no leftovers).

Each component runs in its own process group with its log under logs/ and its pid under run/; a pid counts
only while /proc says it is that component of this cluster folder, so another process is never signalled.
Start is idempotent (what runs and answers is left alone) and waits for each health check in order; stop
ends them in reverse order (SIGTERM, then SIGKILL after a grace period) and waits until none is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tbyte.cluster.components import PORT_NAMES, Component, components
from tbyte.cluster.layout import Layout
from tbyte.core.errors import Refused
from tbyte.core.files import private_dir, write_private
from tbyte.emulator.manager import free_port


def _pid_file(layout: Layout, name: str) -> Path:
    return layout.run / f"{name}.pid"


def running_pid(layout: Layout, name: str) -> int | None:
    """The pid of the component of this cluster folder, if it still runs."""
    try:
        pid = int(_pid_file(layout, name).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (OSError, ValueError):
        return None
    ours = any(str(layout.root).encode() in part for part in cmdline)  # every component names a file of it
    return pid if ours and state != "Z" else None


# The client certificate each health check presents; those servers' certificates come from the cluster's CA.
HEALTH_CLIENTS = {"etcd": "apiserver-etcd-client", "kube-apiserver": "admin"}


def _context(layout: Layout, component: Component):
    import ssl

    if not component.health.startswith("https"):
        return None
    client = HEALTH_CLIENTS.get(component.name)
    if client is None:  # the controller manager and scheduler serve /healthz with self-signed certificates
        return ssl._create_unverified_context()  # noqa: S323 - loopback health probe only, no credentials sent
    context = ssl.create_default_context(cafile=str(layout.ca.cert_path))
    context.load_cert_chain(str(layout.pki / f"{client}.crt"), str(layout.pki / f"{client}.key"))
    return context


def healthy(layout: Layout, component: Component) -> bool:
    import ssl
    import urllib.request

    try:
        with urllib.request.urlopen(component.health, timeout=2, context=_context(layout, component)) as response:
            return response.status == 200
    except (OSError, ssl.SSLError):  # URLError is an OSError
        return False


def _ports(layout: Layout) -> dict[str, int]:
    """The ports of the last start while something still runs; new free ones otherwise."""
    known = layout.ports()
    if known and any(running_pid(layout, name) for name in _names(layout, known)):
        return known
    chosen = {name: free_port() for name in PORT_NAMES}
    write_private(layout.ports_file, json.dumps(chosen))
    return chosen


def _names(layout: Layout, ports: dict[str, int]) -> list[str]:
    return [component.name for component in components(layout, ports)]


def start(layout: Layout, issuer: str, before_controllers=None, timeout: float = 90) -> dict:
    """Every component running and healthy; `before_controllers(layout)` runs once the API server answers."""
    for folder in (layout.root, layout.run, layout.logs, layout.etcd_data):
        private_dir(folder)
    ports = _ports(layout)
    for component in components(layout, ports, issuer):
        child = _launch(layout, component) if running_pid(layout, component.name) is None else None
        _wait(layout, component, timeout, child)
        if component.name == "kube-apiserver" and before_controllers is not None:
            before_controllers(layout)
    return status(layout)


def _launch(layout: Layout, component: Component) -> subprocess.Popen:
    log = layout.logs / f"{component.name}.log"
    with open(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as stream:
        child = subprocess.Popen(component.command, stdout=stream, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True, umask=0o077,
                                 env={**os.environ, **component.env}, cwd=layout.root)
    write_private(_pid_file(layout, component.name), f"{child.pid}\n")
    return child


def _wait(layout: Layout, component: Component, timeout: float, child: subprocess.Popen | None) -> None:
    """Until the component answers its health check; refused when it ends or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(layout, component):
            return
        ended = child.poll() is not None if child is not None else running_pid(layout, component.name) is None
        if ended:
            break
        time.sleep(0.2)
    tail = _log_tail(layout, component.name)
    raise Refused(f"{component.name} of the local cluster did not become healthy ({component.health}); "
                  f"last log lines: {tail}; see {layout.logs / (component.name + '.log')}")


def _log_tail(layout: Layout, name: str, lines: int = 3) -> str:
    try:
        text = (layout.logs / f"{name}.log").read_text(errors="replace")
    except OSError:
        return "(no log)"
    return " | ".join(line.strip() for line in text.splitlines()[-lines:]) or "(empty log)"


def stop(layout: Layout, grace: float = 10) -> list[str]:
    """End every component, last started first; the names of those that were running."""
    stopped = []
    for component in reversed(components(layout, layout.ports() or dict.fromkeys(PORT_NAMES, 0))):
        pid = running_pid(layout, component.name)
        if pid is not None:
            _end(pid, grace)
            stopped.append(component.name)
        _pid_file(layout, component.name).unlink(missing_ok=True)
    return stopped


def _end(pid: int, grace: float) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    if _alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        while _alive(pid):
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaps it when it is our own child
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def status(layout: Layout) -> dict:
    ports = layout.ports() or dict.fromkeys(PORT_NAMES, 0)
    found = {}
    for component in components(layout, ports):
        pid = running_pid(layout, component.name)
        found[component.name] = {"running": pid is not None, "pid": pid,
                                 "healthy": pid is not None and healthy(layout, component)}
    return {"endpoint": layout.endpoint, "kubeconfig": str(layout.kubeconfig("admin")),
            "ready": all(item["healthy"] for item in found.values()), "components": found}
