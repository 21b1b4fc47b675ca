"""One AWS provider process per Terraform command, its schema built once, for the commands that run it
(plan, apply, destroy, refresh, import, and test, whose mocked providers still need the real one's schema).

Terraform starts the provider three times for one plan (its schema, validation, the plan) and asks each
client of it for the whole schema, five times in all; the offline provider 3.39 takes ~0.3 s of CPU to start
and ~60 ms to build its schema, as long again for Terraform to decode it: most of a small stack's plan. The
terraform shim (toolchain/terraform.py) asks `start()` for one provider, started by tools/provider-proxy (which
tells Terraform that the schema may be cached, as newer providers do), and hands it to Terraform through
TF_REATTACH_PROVIDERS; Terraform then talks to it for the whole command, and the shim ends it with `stop()`.

Only when the task runner asks for it (ENABLE, set for the offline toolchain), never for `init` (a reattached
provider is not installed, so the working directory would lack it), and only for the package `init` installed
whose h1 hash is one of the lock's: Terraform does not check a reattached provider, so it is checked here. The
proxy gives every client Terraform configures (one per provider configuration: aws and an aliased aws.copy) a
provider process of its own, as Terraform would; a closed one's process serves the next. In any other case (or
without the proxy built) nothing is started and Terraform starts its providers itself. Standard library only:
the shim imports this on every command.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tbyte.core import paths

ENABLE = "TBYTE_PROVIDER_ONCE"
LOG = "TBYTE_PROVIDER_LOG"  # set by `start` for `stop`: the descriptor of the provider's output
COMMANDS = {"plan", "apply", "destroy", "refresh", "import", "test"}
SOURCE = "registry.terraform.io/hashicorp/aws"
_LOCK_ENTRY = re.compile(r'provider\s+"' + re.escape(SOURCE) + r'"\s*\{(?P<body>.*?)\n\}', re.S)
_H1 = re.compile(r'"(h1:[A-Za-z0-9+/=]+)"')
_REATTACH = re.compile(r"TF_REATTACH_PROVIDERS='(?P<value>[^']+)'")
_PR_SET_PDEATHSIG = 1


def package_hash(package: Path) -> str:
    """Terraform's h1 hash of an unpacked provider package (Go's dirhash.Hash1: the sorted files' SHA-256)."""
    summary = hashlib.sha256()
    for path in sorted(item for item in package.rglob("*") if item.is_file()):
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        summary.update(f"{digest}  {path.relative_to(package).as_posix()}\n".encode())
    return "h1:" + base64.b64encode(summary.digest()).decode()


def locked_hashes(workdir: Path) -> set[str]:
    """The h1 hashes the working directory's lock file accepts for the AWS provider."""
    lock = workdir / ".terraform.lock.hcl"
    entry = _LOCK_ENTRY.search(lock.read_text()) if lock.is_file() else None
    return set(_H1.findall(entry["body"])) if entry else set()


def installed_binary(workdir: Path, data_dir: str = ".terraform") -> Path | None:
    """The provider `init` installed in the working directory, when it holds exactly one."""
    found = list((workdir / data_dir / "providers" / SOURCE).glob("*/linux_amd64/terraform-provider-aws*"))
    return found[0] if len(found) == 1 else None


def remembered_hash(package: Path, memo: Path) -> str:
    """`package_hash`, kept in `memo` with the identity of the package's files (inode, size, modification and
    change times: a changed file gets a new change time, which no program can set back), so that the 177 MB are
    hashed once per working directory rather than on every command."""
    identity = [[str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
                for path in sorted(item for item in package.rglob("*") if item.is_file())
                for stat in [path.stat()]]
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        saved = json.loads(memo.read_text())
        if saved["identity"] == identity:
            return saved["h1"]
    digest = package_hash(package)
    descriptor, scratch = tempfile.mkstemp(dir=memo.parent, prefix=memo.name)  # 0600, then in place at once
    with os.fdopen(descriptor, "w") as handle:
        json.dump({"identity": identity, "h1": digest}, handle)
    os.replace(scratch, memo)
    return digest


def verified_binary(workdir: Path, data_dir: str = ".terraform") -> Path | None:
    binary = installed_binary(workdir, data_dir)
    memo = workdir / data_dir / "tbyte-provider-hash.json"
    if binary is None or remembered_hash(binary.parent, memo) not in locked_hashes(workdir):
        return None
    return binary


def wanted(args: list[str], environ: dict[str, str]) -> bool:
    """Asked for, a command that runs the provider, in the current directory, no reattached provider already."""
    command = next((arg for arg in args if not arg.startswith("-")), None)
    return (environ.get(ENABLE) == "1" and command in COMMANDS and "TF_REATTACH_PROVIDERS" not in environ
            and not any(arg.startswith(("-chdir", "-test-directory")) for arg in args))


def _detached() -> None:
    # Its own session: the SIGINT that cancels Terraform must not stop the provider under a running apply.
    # And a SIGTERM when the shim ends, even killed: the proxy then ends its providers and removes its socket.
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start(args: list[str], workdir: Path, environ: dict[str, str], timeout: float = 60.0) -> dict[str, str]:
    """The variables that hand Terraform a provider started for this command ({} when Terraform should start
    its providers itself). The provider's output goes to an unnamed private file (nothing is left on disk
    whatever happens to the shim), whose descriptor, LOG, survives the shim's re-execution for `stop`."""
    proxy = paths.BIN / "provider-proxy"
    if not (wanted(args, environ) and proxy.exists()):
        return {}
    binary = verified_binary(workdir, environ.get("TF_DATA_DIR", ".terraform"))
    if binary is None:
        return {}
    with tempfile.TemporaryFile() as log:  # already unlinked
        server = subprocess.Popen([str(proxy), str(binary)], cwd=workdir, env=environ, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=log, preexec_fn=_detached)
        deadline = time.monotonic() + timeout
        while server.poll() is None and time.monotonic() < deadline:
            match = _REATTACH.search(os.pread(log.fileno(), 1 << 16, 0).decode(errors="replace"))
            if match and SOURCE in json.loads(match["value"]):
                descriptor = os.dup(log.fileno())
                os.set_inheritable(descriptor, True)
                return {"TF_REATTACH_PROVIDERS": match["value"], LOG: str(descriptor)}
            time.sleep(0.02)
        end(server.pid)
    return {}


def stop(environ: dict[str, str]) -> None:
    """End the provider `start` gave this command, and show its panic if it had one."""
    if not environ.get(LOG):
        return
    end(json.loads(environ["TF_REATTACH_PROVIDERS"])[SOURCE]["Pid"])
    with os.fdopen(int(environ[LOG]), "rb") as log:
        log.seek(0)
        text = log.read().decode(errors="replace")
    if "panic:" in text:
        sys.stderr.write("The AWS provider crashed:\n" + text[text.index("panic:"):][:4000] + "\n")


def end(pid: int, grace: float = 5.0) -> None:
    """SIGTERM (the proxy then ends the provider and removes both sockets), SIGKILL after `grace` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(0.01)
