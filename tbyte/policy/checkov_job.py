"""Runs checkov jobs for `invoke scan`, inside checkov's own environment (.toolchain/checkov), never in .venv.

    <checkov-venv>/bin/python -I tbyte/scan_checkov.py <network-log>

This file imports nothing from tbyte: it runs under checkov's interpreter, isolated (-I) so that neither the
tbyte/ folder nor PYTHON* variables leak in. As a program it

1. forbids every network connection and name look-up of this process and of the processes it forks: an attempt
   raises OSError and is appended to <network-log> (the gate fails when that file is not empty);
2. imports checkov once, then reads jobs from stdin, one JSON object a line, and runs each in a forked child
   (at most `parallel` at a time), so that the seconds of checkov's import are paid once;
3. in each child, applies the job's `exceptions` (the reasoned suppressions of policies/exceptions.yaml that
   cannot be written inline) by turning the matching failed records into suppressed ones, with the reason as
   the suppression's justification, before checkov writes its reports (JSON, SARIF, JUnit XML);
4. prints one JSON line per finished job: {"name", "exit_code"}.

A job: {"name": str, "argv": [checkov arguments], "log": path, "base": the repository root, "prefix": what
makes checkov's file paths repository-relative, "exceptions": [{"check", "reason", "resources": [glob],
"paths": [glob]}]}. The first line may instead be {"parallel": n}.

Imported as a module (tests), it changes nothing: the guard is installed by `install_network_guard`.
"""

from __future__ import annotations

import json
import os
import re
import select
import socket
import sys
import time

OFFLINE = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE",
           "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}

# ---------------------------------------------------------------------------------------------------------
# 1. No network


class NetworkForbidden(OSError):
    pass


def install_network_guard(log_path: str) -> None:
    """Refuse, and record in log_path, every connection and name look-up (Unix sockets stay allowed)."""

    def refuse(what: str):
        with open(log_path, "a") as log:
            log.write(f"{os.getpid()} {what}\n")
        raise NetworkForbidden(f"network access is disabled during `invoke scan` ({what})")

    local_families = {getattr(socket, "AF_UNIX", None)}
    connect, connect_ex, sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto

    def guarded_connect(self, address):
        if self.family in local_families:
            return connect(self, address)
        refuse(f"connect {address!r}")

    def guarded_connect_ex(self, address):
        if self.family in local_families:
            return connect_ex(self, address)
        refuse(f"connect {address!r}")

    def guarded_sendto(self, *args):
        if self.family in local_families:
            return sendto(self, *args)
        refuse(f"sendto {args[-1]!r}")

    def guarded_lookup(host, *args, **kwargs):
        refuse(f"name lookup {host!r}")

    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket.socket.sendto = guarded_sendto
    socket.getaddrinfo = guarded_lookup
    socket.gethostbyname = guarded_lookup
    socket.gethostbyname_ex = guarded_lookup
    try:  # c-ares resolves names in C, past the socket module: refuse its queries as well
        import pycares

        def guarded_pycares(self, *args, **kwargs):
            refuse(f"c-ares lookup {args[:1]!r}")

        for name in ("query", "gethostbyname", "getaddrinfo", "search"):
            if hasattr(pycares.Channel, name):
                setattr(pycares.Channel, name, guarded_pycares)
    except ImportError:
        pass


# ---------------------------------------------------------------------------------------------------------
# 3. Reasoned exceptions


def glob(value: str, pattern: str) -> bool:
    """Shell-style match where only * and ? are wildcards (resource addresses contain [ and ])."""
    expression = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(expression, value, re.S) is not None


def matches(exception: dict, record, prefix: str = "") -> bool:
    """Whether a failed record (check_id, bc_check_id, resource, file_path) is covered by the exception."""
    if exception["check"] not in (record.check_id, getattr(record, "bc_check_id", None)):
        return False
    resources = exception.get("resources")
    if resources and not any(glob(record.resource or "", pattern) for pattern in resources):
        return False
    paths = exception.get("paths")
    if paths:
        path = prefix + (record.file_path or "").lstrip("/")  # repository-relative
        if not any(glob(path, pattern) for pattern in paths):
            return False
    return True


def apply_exceptions(report, exceptions: list[dict], prefix: str = "", skipped="SKIPPED") -> int:
    """Failed records matching an exception become suppressed, with its reason as the justification."""
    kept, moved = [], 0
    for record in report.failed_checks:
        exception = next((item for item in exceptions if matches(item, record, prefix)), None)
        if exception is None:
            kept.append(record)
            continue
        record.check_result["result"] = skipped
        record.check_result["suppress_comment"] = f"policies/exceptions.yaml: {exception['reason']}"
        report.skipped_checks.append(record)
        moved += 1
    report.failed_checks = kept
    return moved


def install_exceptions(exceptions: list[dict], prefix: str) -> None:
    if not exceptions:
        return
    from checkov.common.bridgecrew.check_type import CheckType
    from checkov.common.models.enums import CheckResult
    from checkov.common.runners.runner_registry import RunnerRegistry

    original = RunnerRegistry._handle_report

    def handle_report(self, scan_report, repo_root_for_plan_enrichment):
        # The original enriches plan records with their module file (and applies the inline suppressions there).
        original(self, scan_report, repo_root_for_plan_enrichment)
        for report in self.scan_reports:
            if report.check_type != CheckType.SCA_PACKAGE:
                apply_exceptions(report, exceptions, prefix, CheckResult.SKIPPED)

    RunnerRegistry._handle_report = handle_report


def install_repository_relative_enrichment(base: str) -> None:
    """Plan enrichment with several module folders: each record's file relative to the repository, not its folder.

    checkov gives an enriched record's file relative to the enrichment root it came from, which is ambiguous
    with several roots (main.tf of which module?). Each root is enriched on its own and its files made relative
    to `base`; a later root wins a `type.name` that two roots share, as in checkov.
    """
    from checkov.common.runners.runner_registry import RunnerRegistry

    original = RunnerRegistry.get_enriched_resources

    def get_enriched_resources(repo_roots, download_external_modules, *args, **kwargs):
        merged = {}
        for root in repo_roots:
            part = original([root], download_external_modules, *args, **kwargs)
            for resource in part.values():
                absolute = os.path.join(os.path.abspath(root), resource["scanned_file"])
                resource["scanned_file"] = os.path.relpath(absolute, base)
            merged.update(part)
        return merged

    RunnerRegistry.get_enriched_resources = staticmethod(get_enriched_resources)


# ---------------------------------------------------------------------------------------------------------
# 2 and 4. Jobs in forked children


def run_job(job: dict) -> int:
    """In the child: checkov with the job's arguments; its console output goes to the job's log."""
    from checkov.main import Checkov

    log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.argv = ["checkov", *job["argv"]]
    install_exceptions(job.get("exceptions") or [], job.get("prefix") or "")
    if job.get("base"):
        install_repository_relative_enrichment(job["base"])
    try:
        code = Checkov(list(job["argv"])).run()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException as error:  # noqa: BLE001 - reported through the exit code and the log
        import traceback

        traceback.print_exc()
        print(f"checkov crashed: {error}", file=sys.stderr)
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    return int(code or 0)


def _report(job: dict, status: int) -> None:
    print(json.dumps({"name": job["name"], "exit_code": os.waitstatus_to_exitcode(status)}), flush=True)


def main(network_log: str) -> None:
    install_network_guard(network_log)
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)
    import checkov.main  # noqa: F401 - imported once, before the children are forked

    parallel = max(1, os.cpu_count() or 1)
    pending: list[dict] = []
    running: dict[int, dict] = {}
    buffer = b""
    stdin_open = True
    stdin = sys.stdin.fileno()
    while stdin_open or pending or running:
        while running:  # reap finished children
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            _report(running.pop(pid), status)
        while pending and len(running) < parallel:
            job = pending.pop(0)
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    code = run_job(job)
                finally:
                    os._exit(code)
            running[pid] = job
        if stdin_open:
            ready, _, _ = select.select([stdin], [], [], 0.05)
            if not ready:
                continue
            chunk = os.read(stdin, 65536)
            if not chunk:
                stdin_open = False
            buffer += chunk
            while b"\n" in buffer or (not stdin_open and buffer.strip()):
                line, _, buffer = buffer.partition(b"\n")
                if not line.strip():
                    continue
                message = json.loads(line)
                if "argv" in message:
                    pending.append(message)
                else:
                    parallel = max(1, int(message.get("parallel", parallel)))
        elif running and not pending:
            pid, status = os.waitpid(-1, 0)
            _report(running.pop(pid), status)
        else:
            time.sleep(0.01)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.devnull)
