"""The embedded AWS emulator: moto's server on 127.0.0.1, started in the background and tracked by a PID file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.environment import EMULATOR_CREDENTIALS, emulator_endpoint
from tbyte.core.errors import Refused
from tbyte.core.files import PRIVATE_FILE, private_dir

REGION = "eu-central-1"
SERVER_MODULE = "tbyte.emulator.server"


@dataclass(frozen=True)
class Emulator:
    port: int
    state_dir: Path = paths.EMULATOR_DIR
    kube_port: int | None = None  # the local control plane its EKS clusters report (tbyte/emulator/fixes/eks.py)

    @property
    def endpoint(self) -> str:
        return emulator_endpoint(self.port)

    @property
    def pid_file(self) -> Path:
        return self.state_dir / f"moto-{self.port}.pid"

    @property
    def log_file(self) -> Path:
        return self.pid_file.with_suffix(".log")

    def pid(self) -> int | None:
        """PID of the emulator this repository started on this port, if it is still that process."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            return None
        ours = SERVER_MODULE.encode() in cmdline and str(self.port).encode() in cmdline
        return pid if ours else None

    def healthy(self) -> bool:
        import urllib.request  # imported on first use, as every task imports this module

        try:
            with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=3) as response:
                return response.status == 200
        except OSError:  # URLError is an OSError
            return False

    def status(self) -> dict:
        pid = self.pid()
        return {"running": pid is not None and self.healthy(), "endpoint": self.endpoint, "pid": pid}

    def start(self, timeout: float = 30) -> dict:
        """Start the emulator unless it already runs (idempotent)."""
        if self.pid() is not None:
            if self.healthy():
                return self.status()
            self._wait_healthy(timeout)
            return self.status()
        if self.healthy():
            raise Refused(
                f"port {self.port} already answers but not with an emulator started here; "
                "stop that process or choose another port (the tbyte.emulator_port setting, e.g. "
                "INVOKE_TBYTE_EMULATOR_PORT)"
            )
        private_dir(self.state_dir)  # its log holds what was asked of it: resource names, request paths
        env = {**os.environ, **EMULATOR_CREDENTIALS, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
        if self.kube_port is not None:
            cluster = paths.LOCAL_CLUSTERS / str(self.kube_port)
            env.update(TBYTE_LOCAL_KUBE_ENDPOINT=f"https://127.0.0.1:{self.kube_port}",
                       TBYTE_LOCAL_KUBE_CA_FILE=str(cluster / "pki" / "ca.crt"))
        with os.fdopen(os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "ab") as log:
            self.log_file.chmod(PRIVATE_FILE)  # a log written before logs were private
            process = subprocess.Popen(
                [sys.executable, "-m", SERVER_MODULE, "--port", str(self.port)],
                cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(f"{process.pid}\n")
        try:
            self._wait_healthy(timeout, process)
        except Refused:
            self.stop()
            raise
        return self.status()

    def _wait_healthy(self, timeout: float, process: subprocess.Popen | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.healthy():
                return
            if process is not None and process.poll() is not None:
                break
            time.sleep(0.1)
        raise Refused(f"the emulator did not become healthy on {self.endpoint}; see {self.log_file}")

    def stop(self, timeout: float = 10) -> bool:
        """Stop the emulator this repository started on this port; never touches another process."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists() and not _is_zombie(pid):
            time.sleep(0.05)
        if Path(f"/proc/{pid}").exists() and not _is_zombie(pid):
            os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def client(self, service: str):
        import boto3

        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id=EMULATOR_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=EMULATOR_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=EMULATOR_CREDENTIALS["AWS_SESSION_TOKEN"],
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for a private emulator)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except FileNotFoundError:
        return False

