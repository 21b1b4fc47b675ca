"""checkov_job.py under checkov's python: jobs in, one line per finished job out; and reading its reports."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

from tbyte.core import paths
from tbyte.core.console import say
from tbyte.core.errors import Refused
from tbyte.policy.config import CHECKS, CONFIG
from tbyte.policy.model import Finding, Target, TargetResult

RUNNER = Path(__file__).with_name("checkov_job.py")
# checkov's switches for offline use: no update check, no download of the check-id mapping or of anything else.
OFFLINE_ENVIRONMENT = {
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
}


class Runner:
    """tbyte/policy/checkov_job.py under checkov's python: jobs in, one line per finished job out."""

    def __init__(self, python: Path, reports: Path, log=say, parallel: int | None = None):
        self.reports = reports
        self.log = log
        self.network_log = reports / "network-attempts.log"
        self.network_log.write_text("")
        self.started: dict[str, float] = {}
        self.finished: dict[str, tuple[int, float]] = {}
        self.targets: dict[str, Target] = {}
        # No platform key or URL of the caller's environment reaches checkov (BC_API_KEY, PRISMA_API_URL...).
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("BC_", "CKV_", "PRISMA_"))},
               **OFFLINE_ENVIRONMENT, "CHECKOV_PARALLELIZATION_TYPE": "none", "LOG_LEVEL": "WARNING",
               "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen([str(python), "-I", str(RUNNER), str(self.network_log)], cwd=paths.ROOT,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        bufsize=1, umask=0o077)  # plan reports hold planned values
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._send({"parallel": parallel or os.cpu_count() or 1})

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self.process.wait()
            raise Refused(f"checkov's runner (tbyte/policy/checkov_job.py) stopped with exit code "
                            f"{self.process.returncode}; its error is above") from None

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            name = message["name"]
            seconds = time.monotonic() - self.started.get(name, time.monotonic())
            self.finished[name] = (message["exit_code"], seconds)
            self.log(f"[dim]  checkov: {name} done in {seconds:.1f}s[/]")

    def output_dir(self, target: Target) -> Path:
        return self.reports / "checkov" / target.slug

    def submit(self, target: Target, exceptions: list[dict]) -> None:
        if target.skipped or not target.inputs:
            return
        directory = self.output_dir(target)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        argv = ["--config-file", str(CONFIG), "--framework", target.framework, *target.inputs,
                "--external-checks-dir", str(CHECKS), "--skip-download", "--download-external-modules", "false",
                "--output", "json", "--output", "sarif", "--output", "junitxml",
                "--output-file-path", str(directory)]
        job = {"name": target.name, "argv": argv, "log": str(directory / "checkov.log"),
               "exceptions": exceptions, "prefix": target.prefix, "base": str(paths.ROOT)}
        self.targets[target.name] = target
        self.started[target.name] = time.monotonic()
        self._send(job)

    def finish(self) -> list[str]:
        """Wait for every job; the network attempts recorded (none, unless something tried)."""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.process.wait()
        self.reader.join()
        return [line for line in self.network_log.read_text().splitlines() if line.strip()]

    def result(self, target: Target) -> TargetResult:
        if target.skipped:
            return TargetResult(target)
        if not target.inputs:
            return TargetResult(target, error=target.warning or "nothing to scan")
        exit_code, seconds = self.finished.get(target.name, (None, 0.0))
        return read_results(target, self.output_dir(target), exit_code, seconds)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def read_results(target: Target, directory: Path, exit_code: int | None, seconds: float) -> TargetResult:
    result = TargetResult(target, seconds=seconds)
    log_text = (directory / "checkov.log").read_text() if (directory / "checkov.log").exists() else ""
    report = directory / "results_json.json"
    if exit_code not in (0, 1) or not report.exists():
        last = [line for line in log_text.splitlines() if line.strip()][-3:]
        result.error = f"checkov did not finish (exit code {exit_code}): {' | '.join(last) or 'no output'}"
        return result
    if "Cannot load external check" in log_text:
        result.error = "a check under policies/ failed to load: see " + paths.shown(directory / "checkov.log")
        return result
    document = json.loads(report.read_text())
    reports = document if isinstance(document, list) else [document]
    parsing_errors = []
    for part in reports:
        checks = part.get("results") or {}
        summary = part.get("summary") or part
        result.passed += int(summary.get("passed", 0))
        result.suppressed += int(summary.get("skipped", 0))
        parsing_errors += list(checks.get("parsing_errors") or [])
        for record in checks.get("failed_checks") or []:
            result.failed.append(Finding(
                check_id=record.get("check_id", "?"),
                check_name=record.get("check_name", ""),
                resource=record.get("resource", ""),
                file=display_path(target, record.get("file_path", "")),
                lines="-".join(str(n) for n in (record.get("file_line_range") or [])[:2]),
                details="; ".join(str(d) for d in record.get("details") or []),
            ))
    if parsing_errors:
        result.error = "checkov could not parse: " + ", ".join(display_path(target, p) for p in parsing_errors)
    return result


def display_path(target: Target, path: str) -> str:
    """A repository-relative path for checkov's file path (a plan record without a module file: the plan)."""
    if target.kind == "plans" and path.endswith(".json"):
        return target.name
    path = path.lstrip("/")
    root = str(paths.ROOT) + "/"
    if path.startswith(root.lstrip("/")):
        return path[len(root) - 1:]
    return f"{target.prefix}{path}"

