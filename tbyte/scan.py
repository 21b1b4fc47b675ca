"""`invoke scan`: checkov, fully offline, over everything the platform is made of; the policy gate of CI.

Targets (each one checkov job, run in parallel by tbyte/scan_checkov.py under checkov's own environment):

    modules          modules/                                  framework terraform
    plan <env>/<s>   each saved plan of the environment, as    framework terraform_plan, enriched with the
                     `terragrunt show -json` prints it          stack's module (its inline suppressions apply)
    helm             the rendered manifests of every release   framework kubernetes
                     of every environment (tbyte.helm)
    workflows        .github/workflows/ (when it exists)       framework github_actions
    secrets          the whole repository, tools and caches    framework secrets
                     excluded
    path <dir>       `--path DIR`: one Terraform directory      framework terraform

Policy: .checkov.yaml (checkov's configuration, global skips with a reason each), inline suppressions with a
reason (`#checkov:skip=CKV_X:reason`, annotations `checkov.io/skip1: CKV_X=reason`), policies/exceptions.yaml
(reasoned suppressions that cannot be written inline: a JSON file, one environment's deliberate sizing) and the
platform's own checks under policies/checks/ (CKV_TBYTE_*). docs/policy.md explains them.

checkov lives in .toolchain/checkov/checkov-<version>-<pins hash>/, built with uv from the hashed pins of
tools/checkov/requirements.txt on first use (rebuilt only when the pins change), so that its old pins never
touch .venv. It runs with every network connection refused and recorded; an attempt fails the gate.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.markup import escape

from tbyte import paths
from tbyte.console import say, table
from tbyte.errors import UserError

CHECKOV_PINS = paths.TOOLS / "checkov" / "requirements.txt"
CHECKOV_HOME = paths.TOOLCHAIN / "checkov"
CONFIG = paths.ROOT / ".checkov.yaml"
POLICIES = paths.ROOT / "policies"
CHECKS = POLICIES / "checks"  # a folder of its own: checkov loads every YAML file of a checks folder as a policy
EXCEPTIONS_FILE = POLICIES / "exceptions.yaml"
RUNNER = Path(__file__).with_name("scan_checkov.py")
WORKFLOWS = paths.ROOT / ".github" / "workflows"
UV = paths.TOOLCHAIN / "uv" / "bin" / "uv"

# The function of tbyte.helm that renders every release of an environment: (env, outputs) -> {release: text}.
HELM_RENDER_FUNCTION = "render_all"

# checkov's switches for offline use: no update check, no download of the check-id mapping or of anything else.
OFFLINE_ENVIRONMENT = {
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
}

# Not the repository's own content: tools, caches, saved plans and reports (secrets scan).
SECRETS_EXCLUDED = (".venv", ".toolchain", ".terragrunt-cache", ".plans", "reports", ".git", ".pytest_cache",
                    ".ruff_cache", "__pycache__", ".terraform", ".state-backups")

# Where suppressions live; tests/scan/fixtures holds deliberate violations and is not part of the policy.
SUPPRESSION_ROOTS = ("modules", "terragrunt", "helm")
TARGET_KINDS = ("modules", "plans", "helm", "workflows", "secrets", "path")
EXCEPTION_KEYS = {"check", "reason", "targets", "environments", "resources", "paths"}
CHECK_ID = re.compile(r"^(CKV2?_[A-Z0-9]+_\d+|CKV_SECRET_\d+|CKV_TBYTE_\d+)$")

# checkov's own suppression syntax (checkov/common/comment/enum.py) and the Kubernetes annotation form.
SKIP_COMMENT = re.compile(r"(?:checkov|bridgecrew):skip=\s*([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(:[^\n]*)?")
SKIP_ANNOTATION = re.compile(r"checkov\.io/skip\d*[\"']?\s*:\s*[\"']?([A-Za-z_\d-]+)(=[^\"'\n]*)?")


def reports_dir() -> Path:
    """Where the reports go; tests point TBYTE_REPORTS_DIR elsewhere."""
    return Path(os.environ.get("TBYTE_REPORTS_DIR", paths.ROOT / "reports"))


# ---------------------------------------------------------------------------------------------------------
# checkov's own environment


def checkov_version() -> str:
    match = re.search(r"^checkov==(\S+)", CHECKOV_PINS.read_text(), re.M)
    if not match:
        raise UserError(f"{CHECKOV_PINS.relative_to(paths.ROOT)} pins no checkov version")
    return match.group(1)


def pins_key() -> str:
    return hashlib.sha256(CHECKOV_PINS.read_bytes()).hexdigest()[:12]


def checkov_home() -> Path:
    return CHECKOV_HOME / f"checkov-{checkov_version()}-{pins_key()}"


def _uv() -> str:
    if UV.exists():
        return str(UV)
    found = shutil.which("uv")
    if found:
        return found
    raise UserError("installing checkov needs uv (.toolchain/uv/bin/uv, from `bash scripts/bootstrap.sh`); none found")


def _base_python() -> str:
    """The interpreter behind .venv, for checkov's environment (uv never downloads one)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_checkov(log=say) -> Path:
    """checkov's environment, built from the hashed pins on first use; its python. Idempotent and locked."""
    home = checkov_home()
    marker = home / ".tbyte-complete"
    if marker.exists():
        return home / "bin" / "python"
    CHECKOV_HOME.mkdir(parents=True, exist_ok=True)
    with (CHECKOV_HOME / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel scans (tests) build it once
        if marker.exists():
            return home / "bin" / "python"
        log(f"installing checkov {checkov_version()} into {home.relative_to(paths.ROOT)} "
            "(one time; from the hashed pins of tools/checkov/requirements.txt)")
        shutil.rmtree(home, ignore_errors=True)
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(home)}
        steps = [
            [_uv(), "venv", "--quiet", "--python", _base_python(), str(home)],
            [_uv(), "pip", "sync", "--quiet", "--require-hashes", "--compile-bytecode", "--python",
             str(home / "bin" / "python"), str(CHECKOV_PINS)],
        ]
        for command in steps:
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                shutil.rmtree(home, ignore_errors=True)
                raise UserError(f"installing checkov failed: {' '.join(command[:3])}: "
                                f"{(result.stderr or result.stdout).strip()[-2000:]}")
        marker.write_text(pins_key() + "\n")
        for old in CHECKOV_HOME.glob("checkov-*"):  # environments of earlier pins
            if old != home and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return home / "bin" / "python"


# ---------------------------------------------------------------------------------------------------------
# Policy files


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    checks: str
    reason: str


def suppressions(roots: tuple[str, ...] = SUPPRESSION_ROOTS, base: Path = paths.ROOT) -> list[Suppression]:
    """Every inline suppression (skip comment or checkov.io/skip annotation) under the roots, with its reason."""
    found = []
    for root in roots:
        for path in sorted((base / root).rglob("*")):
            if not path.is_file() or any(part in SECRETS_EXCLUDED for part in path.relative_to(base).parts):
                continue
            try:
                text = path.read_text()
            except (UnicodeDecodeError, OSError):
                continue
            if "skip" not in text:
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                for match in SKIP_COMMENT.finditer(line):
                    reason = (match.group(2) or "")[1:].strip()
                    found.append(Suppression(str(path.relative_to(base)), number, match.group(1) or "", reason))
                for match in SKIP_ANNOTATION.finditer(line):
                    reason = (match.group(2) or "")[1:].strip()
                    found.append(Suppression(str(path.relative_to(base)), number, match.group(1), reason))
    return found


def config_skips(config: Path = CONFIG) -> list[tuple[str, str]]:
    """(check id, reason) of each global skip of .checkov.yaml; the reason is the comment on the entry's line."""
    document = yaml.safe_load(config.read_text()) or {}
    skips = document.get("skip-check") or []
    if isinstance(skips, str):
        skips = [item.strip() for item in skips.split(",")]
    reasons = {}
    for line in config.read_text().splitlines():
        match = re.match(r"^\s*-\s*([A-Za-z_\d-]+)\s*(?:#\s*(.*))?$", line)
        if match:
            reasons[match.group(1)] = (match.group(2) or "").strip()
    return [(check, reasons.get(check, "")) for check in skips]


def load_exceptions(path: Path = EXCEPTIONS_FILE) -> list[dict]:
    """The entries of policies/exceptions.yaml, validated: each names a check and gives its reason."""
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as error:
        raise UserError(f"{_repo_path(path)} is not valid YAML: {error}") from None
    if not isinstance(entries, list):
        raise UserError(f"{_repo_path(path)} must be a list of exceptions")
    for number, entry in enumerate(entries, start=1):
        where = f"{_repo_path(path)} entry {number}"
        if not isinstance(entry, dict):
            raise UserError(f"{where} is not a mapping")
        unknown = set(entry) - EXCEPTION_KEYS
        if unknown:
            raise UserError(f"{where}: unknown keys {', '.join(sorted(unknown))}; allowed: "
                            f"{', '.join(sorted(EXCEPTION_KEYS))}")
        if not CHECK_ID.match(str(entry.get("check", ""))):
            raise UserError(f"{where}: `check` must be a checkov check id, not {entry.get('check')!r}")
        if not str(entry.get("reason") or "").strip():
            raise UserError(f"{where} ({entry['check']}) has no reason: every suppression says why")
        for key in ("targets", "environments", "resources", "paths"):
            if key in entry and not (isinstance(entry[key], list) and all(isinstance(v, str) for v in entry[key])):
                raise UserError(f"{where}: `{key}` must be a list of strings")
        bad = set(entry.get("targets") or []) - set(TARGET_KINDS)
        if bad:
            raise UserError(f"{where}: unknown targets {', '.join(sorted(bad))}; the targets are "
                            f"{', '.join(TARGET_KINDS)}")
    return entries


def exceptions_for(entries: list[dict], kind: str, env: str | None = None) -> list[dict]:
    """The exceptions that apply to a target of this kind (and, for plans, of this environment)."""
    chosen = []
    for entry in entries:
        if entry.get("targets") and kind not in entry["targets"]:
            continue
        if entry.get("environments") and env not in entry["environments"]:
            continue
        chosen.append({key: entry[key] for key in ("check", "reason", "resources", "paths") if key in entry})
    return chosen


# ---------------------------------------------------------------------------------------------------------
# Targets and results


@dataclass
class Target:
    """One checkov job: what it scans, and how its file paths read from the repository root."""

    name: str
    kind: str
    framework: str
    inputs: list[str] = field(default_factory=list)  # checkov arguments naming what to scan
    prefix: str = ""  # prepended to checkov's file paths to make them repository-relative
    env: str | None = None
    skipped: str | None = None  # why it was not scanned
    warning: str | None = None

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", self.name).strip("-")


@dataclass
class Finding:
    check_id: str
    check_name: str
    resource: str
    file: str
    lines: str
    details: str = ""


@dataclass
class TargetResult:
    target: Target
    passed: int = 0
    failed: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def status(self) -> str:
        if self.target.skipped:
            return "skipped"
        if self.error:
            return "error"
        return "failed" if self.failed else "passed"


@dataclass
class ScanResult:
    results: list[TargetResult]
    seconds: float
    reports: Path
    network_attempts: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[str, Finding]]:
        return [(result.target.name, finding) for result in self.results for finding in result.failed]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(result.target.name, result.error) for result in self.results if result.error]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and not self.network_attempts

    def check_ids(self) -> set[str]:
        return {finding.check_id for _, finding in self.failures}


def _repo_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _excluded_path_patterns(base: Path) -> list[str]:
    return [f"^{re.escape(str(base / name))}(/|$)" for name in SECRETS_EXCLUDED] + \
        [f"/{re.escape(name)}(/|$)" for name in ("__pycache__", ".terraform", ".terragrunt-cache")]


def modules_target() -> Target:
    return Target("modules", "modules", "terraform", ["-d", str(paths.MODULES)], prefix="modules/")


def path_target(directory: str | Path) -> Target:
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"--path {directory}: no such directory")
    if not any(directory.rglob("*.tf")) and not any(directory.rglob("*.tf.json")):
        raise UserError(f"--path {directory}: no Terraform files (*.tf) in it")
    shown = _repo_path(directory)
    return Target(f"path {shown}", "path", "terraform", ["-d", str(directory.resolve())], prefix=f"{shown}/")


def secrets_target(base: Path = paths.ROOT) -> Target:
    inputs = ["-d", str(base), "--enable-secret-scan-all-files"]
    for pattern in _excluded_path_patterns(base):
        inputs += ["--skip-path", pattern]
    return Target("secrets", "secrets", "secrets", inputs, prefix="")


def workflows_target() -> Target:
    if not WORKFLOWS.is_dir() or not any(WORKFLOWS.glob("*.y*ml")):
        return Target("workflows", "workflows", "github_actions", skipped="no .github/workflows yet")
    return Target("workflows", "workflows", "github_actions", ["-d", str(WORKFLOWS)], prefix=".github/workflows/")


def plan_file_target(plan_json: Path, name: str, module_dirs: list[Path] = (), env: str | None = None) -> Target:
    """A plan in JSON (`terraform show -json`), enriched with the modules it was made from when given.

    Enriched records carry the module file's repository-relative path (tbyte/scan_checkov.py makes them so).
    """
    inputs = ["-f", str(plan_json)]
    for directory in module_dirs:
        inputs += ["--repo-root-for-plan-enrichment", str(directory)]
    return Target(name, "plans", "terraform_plan", inputs, prefix="", env=env)


def manifests_target(directory: Path, name: str = "helm") -> Target:
    return Target(name, "helm", "kubernetes", ["-d", str(directory)], prefix=f"{_repo_path(directory)}/")


# ---------------------------------------------------------------------------------------------------------
# Saved plans as JSON


SHOW_IN_CHILD = "import sys; from tbyte.scan import show_plan_child; sys.exit(show_plan_child(*sys.argv[1:]))"


def show_plan_child(env: str, name: str, plan_file: str, output: str) -> int:
    """In a child process (one per stack, in parallel): `terragrunt show -json` of the saved plan into `output`."""
    from tbyte import terragrunt
    from tbyte.stacks import Stack

    stack = Stack(env, name, ())
    try:
        os.environ.update(_unit_inputs(stack))  # terragrunt.run passes this process's environment on
    except UserError as error:
        print(error, file=sys.stderr)
        return 1
    result = terragrunt.run(stack, "show", "--experiment", "optional-dependency-outputs",
                            "--no-dependency-outputs", "-json", plan_file)
    if result.returncode != 0 or not result.stdout.lstrip().startswith("{"):
        print(terragrunt.first_error(result), file=sys.stderr)
        return 1
    Path(output).write_text(result.stdout)
    return 0


def _unit_inputs(stack) -> dict[str, str]:
    """The unit's inputs as TF_VAR_ variables, dependencies from their mocks (no state is read).

    `terragrunt show` of a saved plan needs no input (the plan carries its variables), but Terragrunt still
    evaluates the unit's configuration, and its dependency outputs may not exist (local, nothing applied) or be
    out of reach. With --no-dependency-outputs they are unknown and Terragrunt would hand Terraform empty values
    for them; variables already set in the environment are kept, so the rendered inputs are set there.
    """
    from tbyte import terragrunt

    inputs = terragrunt.render(stack).get("inputs") or {}
    return {f"TF_VAR_{key}": value if isinstance(value, str) else json.dumps(value)
            for key, value in inputs.items() if value is not None}


def show_plans(env: str, names: list[str], directory: Path) -> dict[str, str | None]:
    """{stack: error or None}; each saved plan written as <directory>/<stack>.json, the stacks in parallel."""
    from tbyte import plans, toolchain
    from tbyte.stacks import stacks

    by_name = stacks(env)
    if not (paths.BIN / "terragrunt").exists():
        toolchain.ensure(log=say)
    directory.mkdir(parents=True, exist_ok=True)
    children = {}
    errors: dict[str, str | None] = {}
    for name in names:
        children[name] = subprocess.Popen(
            [sys.executable, "-c", SHOW_IN_CHILD, env, name, str(plans.plan_file(by_name[name]).resolve()),
             str(directory / f"{name}.json")],
            cwd=paths.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for name, child in children.items():
        _, stderr = child.communicate()
        errors[name] = None if child.returncode == 0 else (stderr.strip().splitlines() or ["failed"])[-1]
    return errors


def plan_targets(env: str, directory: Path, log=say) -> list[Target]:
    """One target per saved plan of the environment; `local` is planned first when a plan is missing or stale."""
    from tbyte import plans
    from tbyte.stacks import LOCAL, stacks

    by_name = stacks(env)
    outdated = [stack for stack in by_name.values()
                if plans.load_record(stack) is None or plans.code_stale_reason(stack, plans.load_record(stack))]
    if env == LOCAL and outdated:
        from tbyte import operations

        log(f"planning {env} first: no current saved plan for {', '.join(stack.name for stack in outdated)}")
        operations.plan(env)
    targets: list[Target] = []
    present = []
    for name, stack in by_name.items():
        record = plans.load_record(stack)
        if record is None:
            targets.append(Target(f"plan {env}/{name}", "plans", "terraform_plan", env=env,
                                  skipped=f"no saved plan: run `invoke plan --env {env}` first"
                                  + ("" if env == LOCAL else " (needs the AWS credentials of the environment)")))
            continue
        present.append(name)
    errors = show_plans(env, present, directory) if present else {}
    for name in present:
        stack = by_name[name]
        target = plan_file_target(directory / f"{name}.json", f"plan {env}/{name}", enrichment_roots(stack), env)
        if errors[name]:
            target.inputs = []  # reported as an error: a saved plan that cannot be read is not a pass
            target.warning = f"terragrunt show failed: {errors[name]}"
        else:
            stale = plans.code_stale_reason(stack, plans.load_record(stack))
            if stale:
                target.warning = f"the saved plan is stale ({stale}): re-plan to scan the current code"
        targets.append(target)
    return targets


def enrichment_roots(stack) -> list[Path]:
    """The module folders of a stack for plan enrichment: the ones it calls outside its own module, then its own.

    checkov maps a plan's resource to its code by `type.name` only; the stack's own module comes last so that its
    resources win when a called module has one of the same name (submodules are folders below a root).
    """
    from tbyte import plans

    own = paths.MODULES / stack_module_name(stack)
    roots = [directory for directory in plans.module_dirs(stack)
             if not any(other != directory and other in directory.parents for other in plans.module_dirs(stack))]
    return sorted((root for root in roots if root != own.resolve()), key=str) + [own.resolve()]


def stack_module_name(stack) -> str:
    match = re.search(r"modules//([\w-]+)", (paths.TERRAGRUNT / "_envcommon" / f"{stack.name}.hcl").read_text())
    if not match:
        raise UserError(f"_envcommon/{stack.name}.hcl has no terraform source under modules//")
    return match.group(1)


# ---------------------------------------------------------------------------------------------------------
# Rendered Helm manifests


def helm_renderer():
    """tbyte.helm's function that renders every release of an environment, or None while there is none."""
    try:
        from tbyte import helm
    except ImportError:
        return None
    if not (paths.HELM / "charts").is_dir():
        return None
    return getattr(helm, HELM_RENDER_FUNCTION, None)


def helm_target(directory: Path) -> Target:
    """Every release of every environment rendered offline (example outputs) into <directory>/<env>/<release>.yaml."""
    render = helm_renderer()
    if render is None:
        return Target("helm", "helm", "kubernetes", skipped=f"no helm chart yet (tbyte.helm.{HELM_RENDER_FUNCTION})")
    from tbyte import helm

    def render_env(env: str) -> list[Path]:
        manifests = render(env, helm.example_outputs(env))
        written = []
        for release, text in manifests.items():
            path = directory / env / f"{release}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
        return written

    environments = helm.environments()
    with ThreadPoolExecutor(max_workers=max(1, len(environments))) as pool:
        written = [path for paths_ in pool.map(render_env, environments) for path in paths_]
    if not written:
        return Target("helm", "helm", "kubernetes", skipped="no release in helm/releases/")
    return manifests_target(directory)


# ---------------------------------------------------------------------------------------------------------
# Running checkov


class Runner:
    """tbyte/scan_checkov.py under checkov's python: jobs in, one line per finished job out."""

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
                                        bufsize=1)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._send({"parallel": parallel or os.cpu_count() or 1})

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            self.process.wait()
            raise UserError(f"checkov's runner (tbyte/scan_checkov.py) stopped with exit code "
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
        result.error = "a check under policies/ failed to load: see " + _repo_path(directory / "checkov.log")
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


# ---------------------------------------------------------------------------------------------------------
# The gate


def suppression_result() -> TargetResult:
    """Every suppression has its reason: inline ones, .checkov.yaml's global skips, policies/exceptions.yaml."""
    target = Target("suppressions", "suppressions", "-")
    result = TargetResult(target)
    found = suppressions()
    for item in found:
        if item.reason:
            result.passed += 1
        else:
            result.failed.append(Finding("reason", "a suppression carries its reason", item.checks or "?",
                                         item.path, str(item.line), "add `:<why>` after the check id"))
    for check, reason in config_skips():
        if reason:
            result.passed += 1
        else:
            result.failed.append(Finding("reason", "a global skip carries its reason", check, ".checkov.yaml", "",
                                         "write `- CKV_X  # why` in skip-check"))
    result.passed += len(load_exceptions())  # load_exceptions refuses an entry without a reason
    return result


def execute(build, log=say, parallel: int | None = None, audit: bool = False) -> ScanResult:
    """Run the targets that `build(add, workdir)` adds (each starts as soon as it is added); reports and summary.

    audit: also check that every suppression of the repository carries its reason (a row "suppressions").
    """
    started = time.monotonic()
    exceptions = load_exceptions()
    python = ensure_checkov(log)
    reports = reports_dir()
    for previous in (reports / "checkov", reports / "helm-manifests"):
        shutil.rmtree(previous, ignore_errors=True)
    (reports / "checkov").mkdir(parents=True, exist_ok=True)
    runner = Runner(python, reports, log, parallel)
    targets: list[Target] = []
    try:
        with tempfile.TemporaryDirectory(prefix="tbyte-scan-") as work:
            def add(target: Target) -> None:
                targets.append(target)
                if target.warning:
                    log(f"[yellow]![/] {escape(target.name)}: {escape(target.warning)}")
                runner.submit(target, exceptions_for(exceptions, target.kind, target.env))

            build(add, Path(work))
            network = runner.finish()
    finally:
        runner.close()
    results = [runner.result(target) for target in targets]
    if audit:
        results.append(suppression_result())
    if network:
        results.append(TargetResult(Target("network", "network", "-"),
                                    error=f"checkov attempted {len(network)} network connection(s): {network[0]}"))
    scan = ScanResult(results, time.monotonic() - started, reports, network)
    write_summary(scan)
    return scan


def run(env: str = "local", path: str | Path | None = None, log=say, parallel: int | None = None) -> ScanResult:
    """The whole gate, or with `path` one Terraform directory; results per target, reports under reports/."""
    if path is not None:
        target = path_target(path)  # refused before anything starts when it is not a Terraform directory
        return execute(lambda add, work: add(target), log, parallel)

    from tbyte.stacks import stacks

    stacks(env)  # an unknown environment is refused before anything starts

    def build(add, work: Path) -> None:
        add(modules_target())  # the longest job first; it runs while the plans are prepared
        add(secrets_target())
        add(workflows_target())
        for target in plan_targets(env, work / "plans" / env, log):
            add(target)
        add(helm_target(reports_dir() / "helm-manifests"))

    return execute(build, log, parallel, audit=True)


def scan_targets(targets: list[Target], log=say, parallel: int | None = None) -> ScanResult:
    """Scan the given targets only (fixtures, one plan file...), with the repository's policy."""
    return execute(lambda add, work: [add(target) for target in targets], log, parallel)


def write_summary(scan: ScanResult) -> Path:
    summary = {
        "ok": scan.ok,
        "seconds": round(scan.seconds, 1),
        "targets": [{"name": r.target.name, "status": r.status, "passed": r.passed, "failed": len(r.failed),
                     "suppressed": r.suppressed, "skipped": r.target.skipped, "warning": r.target.warning,
                     "error": r.error, "reports": f"checkov/{r.target.slug}" if r.target.inputs else None}
                    for r in scan.results],
        "failures": [{"target": name, "check_id": f.check_id, "resource": f.resource, "file": f.file,
                      "lines": f.lines, "details": f.details} for name, f in scan.failures],
        "network_attempts": scan.network_attempts,
    }
    path = scan.reports / "scan-summary.json"
    path.write_text(json.dumps(summary, indent=2))
    return path


STATUS_STYLE = {"passed": "[green]passed[/]", "failed": "[red]failed[/]", "error": "[red]error[/]",
                "skipped": "[yellow]skipped[/]"}


def print_summary(scan: ScanResult) -> None:
    rows = []
    for result in scan.results:
        if result.target.skipped:
            rows.append([result.target.name, "-", "-", "-", STATUS_STYLE["skipped"]])
            continue
        rows.append([result.target.name, result.passed, len(result.failed), result.suppressed,
                     STATUS_STYLE[result.status]])
    table("checkov scan", ["target", "passed", "failed", "suppressed", "status"], rows)
    skipped: dict[str, list[str]] = {}
    for result in scan.results:
        if result.target.skipped:
            skipped.setdefault(result.target.skipped, []).append(result.target.name)
    for reason, names in skipped.items():
        say(f"[yellow]! not scanned[/]: {escape(', '.join(names))}: {escape(reason)}")
    if scan.failures:
        say(f"[red]{len(scan.failures)} failure(s) not suppressed[/] (check, resource, file, target):")
        for name, finding in scan.failures:
            where = f"{finding.file}:{finding.lines}" if finding.lines else finding.file
            say(f"  [red]✗[/] {finding.check_id}  {escape(finding.resource)}  {escape(where)}  ({escape(name)})")
            say("      " + escape(finding.check_name + (f": {finding.details}" if finding.details else "")))
    for name, error in scan.errors:
        say(f"[red]✗[/] {escape(name)}: {escape(error)}")
    for attempt in scan.network_attempts:
        say(f"[red]✗[/] network attempt during the scan: {escape(attempt)}")
    say(f"reports: {_repo_path(scan.reports / 'checkov')} (SARIF, JUnit XML, JSON per target), "
        f"{_repo_path(scan.reports / 'scan-summary.json')}")
    verdict = "[green]✓ no unsuppressed finding[/]" if scan.ok else "[red]✗ the scan failed[/]"
    count = sum(len(names) for names in skipped.values())
    say(f"{verdict}" + (f" ({count} target(s) not scanned, see above)" if count else "") +
        f"; total {scan.seconds:.1f}s")

