"""The Helm releases of every environment: values resolved from the infrastructure, rendered, linted, deployed.

helm/releases/<env>.yaml lists the releases of an environment (the chart helm/charts/tbyte-service once per
service) with their values. Values the infrastructure knows are written there as references and resolved
here, at render time:

    ${<stack>.<output>[.<key>...]}   an output of a stack of the environment, from `operations.output(env)`
                                     or from a JSON file in the same format (`invoke output --env E --json`)
    ${env.<name>}                    a local of terragrunt/<env>/env.hcl (region, account_id, ...)
    ${settings.<name>}               a setting of the release file itself (e.g. the ACM certificate ARN)

A string that is exactly one reference takes the referenced value with its type; references inside a longer
string are replaced by their text. helm/examples/outputs-<env>.json hold made-up outputs for rendering without
applied infrastructure; they are marked `_example` and refused by deploy.

The helm command lines are built by pure functions (`template_command`, `lint_command`, `deploy_command`,
`rollback_command`, `status_command`, `get_manifest_command`) so that tests can assert them exactly.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tbyte import paths
from tbyte.errors import UserError

CHART = paths.HELM / "charts" / "tbyte-service"
RELEASES = paths.HELM / "releases"
EXAMPLES = paths.HELM / "examples"
RENDERED = paths.HELM / "rendered"
WORK = paths.TOOLCHAIN / "helm"

DEPLOY_TIMEOUT = "10m"
HISTORY_MAX = 10
# A deploy gives up at once when the cluster's endpoint does not accept a TCP connection within this time.
PROBE_SECONDS = 3.0
EXAMPLE_MARKER = "_example"

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_-]+)+)\}")
RELEASE_FILE_KEYS = {"namespace", "apiVersions", "settings", "defaults", "releases"}


# ---------------------------------------------------------------------------------------------------------
# Release files and the infrastructure's outputs


@dataclass(frozen=True)
class Outputs:
    """The outputs of an environment's stacks, {stack: {output: value}}, and where they came from."""

    values: dict
    source: str
    example: bool = False


@dataclass
class Release:
    """One release of an environment, its values resolved."""

    env: str
    name: str
    namespace: str
    values: dict
    kube_version: str
    api_versions: tuple[str, ...] = field(default_factory=tuple)


def environments() -> list[str]:
    """The environments that have a release file."""
    return sorted(path.stem for path in RELEASES.glob("*.yaml"))


def release_file(env: str) -> Path:
    path = RELEASES / f"{env}.yaml"
    if not path.exists():
        raise UserError(f"unknown environment {env!r}: no helm/releases/{env}.yaml; "
                        f"the environments are: {', '.join(environments())}")
    return path


def load_release_file(env: str) -> dict:
    path = release_file(env)
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise UserError(f"helm/releases/{env}.yaml is not valid YAML: {error}") from None
    unknown = set(document) - RELEASE_FILE_KEYS
    if unknown:
        raise UserError(f"helm/releases/{env}.yaml: unknown keys {', '.join(sorted(unknown))}; "
                        f"allowed: {', '.join(sorted(RELEASE_FILE_KEYS))}")
    if not document.get("namespace") or not isinstance(document.get("releases"), dict) or not document["releases"]:
        raise UserError(f"helm/releases/{env}.yaml needs `namespace` and at least one entry under `releases`")
    return document


def release_names(env: str) -> list[str]:
    return list(load_release_file(env)["releases"])


def example_outputs_file(env: str) -> Path:
    return EXAMPLES / f"outputs-{env}.json"


def outputs_from_file(path: str | Path) -> Outputs:
    """Outputs from a JSON file in the format of `invoke output --env E --json`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise UserError(f"outputs file {path}: no such file") from None
    except json.JSONDecodeError as error:
        raise UserError(f"outputs file {path} is not JSON: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for k, v in data.items() if not k.startswith("_")):
        raise UserError(f"outputs file {path} must be one JSON object {{stack: {{output: value}}}}")
    values = {key: value for key, value in data.items() if not key.startswith("_")}
    return Outputs(values, str(path), example=EXAMPLE_MARKER in data)


def example_outputs(env: str) -> dict:
    """The made-up outputs of helm/examples/outputs-<env>.json, {stack: {output: value}}."""
    return outputs_from_file(example_outputs_file(env)).values


def infrastructure_outputs(env: str, log=print) -> Outputs:
    """The outputs read from the stacks' states (`invoke output --env E`)."""
    from tbyte import operations  # imported here: rendering from a file needs none of its dependencies

    try:
        values = operations.output(env)
    except UserError as error:
        raise UserError(f"{error}\n(to render without the infrastructure, pass "
                        f"--outputs-file {example_outputs_file(env).relative_to(paths.ROOT)})") from None
    return Outputs(values, f"the state of the {env} stacks")


def load_outputs(env: str, outputs_file: str | Path | None = None, log=print) -> Outputs:
    """Outputs from outputs_file when given, else from the stacks' states.

    For `local` only, when its stacks are not applied (or the emulator cannot be reached), the example
    outputs stand in, with a warning: local is a rendering target only.
    """
    if outputs_file:
        return outputs_from_file(outputs_file)
    if env == "local":
        try:
            outputs = infrastructure_outputs(env, log)
            missing = unresolved(env, outputs.values)
            if not missing:
                return outputs
            reason = f"the local stacks lack {', '.join(missing)}"
        except UserError as error:
            reason = str(error).splitlines()[0]
        example = example_outputs_file(env)
        log(f"[yellow]![/] {reason}: rendering local with the example outputs {example.relative_to(paths.ROOT)}")
        return outputs_from_file(example)
    return infrastructure_outputs(env, log)


def env_settings(env: str) -> dict:
    """The locals of terragrunt/<env>/env.hcl ({} when the environment has no Terragrunt folder)."""
    from tbyte.stacks import env_settings as settings_of

    if not (paths.TERRAGRUNT / env / "env.hcl").exists():
        return {}
    return settings_of(env)


def _lookup(scopes: dict, scope: str, keys: list[str]):
    """The referenced value, or a KeyError naming what is missing."""
    if scope not in scopes:
        raise KeyError(f"no stack, env or settings named {scope!r}")
    value = scopes[scope]
    if value is None:
        raise KeyError(f"the {scope} stack has no outputs (not applied?)")
    for depth, key in enumerate(keys):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            where = ".".join([scope, *keys[:depth]])
            raise KeyError(f"{where} has no {key!r}")
    if value == "(sensitive)":
        raise KeyError("the output is sensitive (masked); it cannot be rendered into Helm values")
    return value


def resolve(value, scopes: dict, problems: list[str]):
    """value with every ${scope.key...} reference replaced; unresolvable references are added to problems."""
    if isinstance(value, dict):
        return {key: resolve(item, scopes, problems) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, scopes, problems) for item in value]
    if not isinstance(value, str) or "${" not in value:
        return value

    def lookup(match: re.Match):
        try:
            return _lookup(scopes, match.group(1), match.group(2)[1:].split("."))
        except KeyError as error:
            problems.append(f"{match.group(0)}: {error.args[0]}")
            return match.group(0)

    if "${" in REFERENCE.sub("", value):
        problems.append(f"{value!r}: malformed reference (the form is ${{stack.output}})")
        return value
    whole = REFERENCE.fullmatch(value)
    if whole:
        return lookup(whole)
    return REFERENCE.sub(lambda match: _text(lookup(match)), value)


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def deep_merge(base: dict, override: dict) -> dict:
    """base with override merged in: maps merged recursively, everything else (lists too) replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _scopes(env: str, document: dict, outputs: dict, problems: list[str]) -> dict:
    scopes = {stack: values for stack, values in outputs.items()}
    scopes["env"] = env_settings(env)
    # Settings may refer to outputs and env.hcl, not to other settings.
    scopes["settings"] = resolve(document.get("settings") or {}, {**scopes, "settings": {}}, problems)
    return scopes


def unresolved(env: str, outputs: dict) -> list[str]:
    """The references of helm/releases/<env>.yaml that the outputs cannot resolve."""
    document = load_release_file(env)
    problems: list[str] = []
    scopes = _scopes(env, document, outputs, problems)
    resolve({"defaults": document.get("defaults") or {}, "releases": document["releases"]}, scopes, problems)
    return sorted({problem.split(":")[0] for problem in problems})


def kube_version(env: str) -> str:
    """The Kubernetes version of the environment's cluster (env.hcl kubernetes_version), as x.y.0."""
    version = str(env_settings(env).get("kubernetes_version", "1.31"))
    return version if version.count(".") >= 2 else f"{version}.0"


def releases(env: str, outputs: dict, only: str | None = None) -> list[Release]:
    """The releases of an environment (or one), their values merged over the defaults and resolved."""
    document = load_release_file(env)
    names = list(document["releases"])
    if only is not None and only not in names:
        raise UserError(f"unknown release {only!r} in {env}; the releases are: {', '.join(names)}")
    problems: list[str] = []
    scopes = _scopes(env, document, outputs, problems)
    defaults = document.get("defaults") or {}
    result = []
    for name in names if only is None else [only]:
        values = deep_merge(defaults, document["releases"][name] or {})
        result.append(Release(env, name, document["namespace"], resolve(values, scopes, problems), kube_version(env),
                              tuple(document.get("apiVersions") or ())))
    if problems:
        listed = "\n  ".join(dict.fromkeys(problems))
        raise UserError(f"helm/releases/{env}.yaml: references that cannot be resolved:\n  {listed}\n"
                        "apply the stacks first, or render with example outputs: "
                        f"--outputs-file {example_outputs_file(env).relative_to(paths.ROOT)}")
    return result


# ---------------------------------------------------------------------------------------------------------
# Command lines (pure)


def template_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                     chart: str | Path = CHART) -> list[str]:
    """`helm template` of a release, offline: the environment's Kubernetes version and add-on APIs given."""
    command = [str(helm), "template", release.name, str(chart), "--namespace", release.namespace,
               "--values", str(values_file), "--kube-version", release.kube_version]
    for api in release.api_versions:
        command += ["--api-versions", api]
    return command


def lint_command(release: Release, values_file: str | Path, helm: str | Path = "helm",
                 chart: str | Path = CHART) -> list[str]:
    """`helm lint --strict` with a release's values (lint has no --api-versions: see lint_values)."""
    return [str(helm), "lint", "--strict", str(chart), "--namespace", release.namespace,
            "--values", str(values_file), "--kube-version", release.kube_version]


def lint_values(release: Release) -> dict:
    """The release's values, with the environment's add-on APIs assumed (helm lint cannot be told them)."""
    return {**release.values, "assumeAPIVersions": list(release.api_versions)}


def deploy_command(release: Release, values_file: str | Path, kube_context: str, kubeconfig: str | Path,
                   helm: str | Path = "helm", chart: str | Path = CHART, timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm upgrade --install` of a release: atomic (a failed upgrade rolls back), waits until ready."""
    return [str(helm), "upgrade", "--install", release.name, str(chart),
            "--namespace", release.namespace, "--create-namespace",
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--values", str(values_file),
            "--atomic", "--wait", "--timeout", timeout, "--history-max", str(HISTORY_MAX)]


def rollback_command(release: Release, kube_context: str, kubeconfig: str | Path, revision: int | None = None,
                     helm: str | Path = "helm", timeout: str = DEPLOY_TIMEOUT) -> list[str]:
    """`helm rollback` of a release to a revision (default: the previous one)."""
    return [str(helm), "rollback", release.name, *([str(revision)] if revision is not None else []),
            "--namespace", release.namespace, "--kube-context", kube_context, "--kubeconfig", str(kubeconfig),
            "--wait", "--timeout", timeout, "--cleanup-on-fail", "--history-max", str(HISTORY_MAX)]


def status_command(release: Release, kube_context: str, kubeconfig: str | Path, helm: str | Path = "helm") -> list[str]:
    return [str(helm), "status", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig), "--output", "json"]


def get_manifest_command(release: Release, kube_context: str, kubeconfig: str | Path,
                         helm: str | Path = "helm") -> list[str]:
    return [str(helm), "get", "manifest", release.name, "--namespace", release.namespace,
            "--kube-context", kube_context, "--kubeconfig", str(kubeconfig)]


# ---------------------------------------------------------------------------------------------------------
# The cluster


@dataclass(frozen=True)
class Cluster:
    """An environment's EKS cluster as its outputs describe it."""

    name: str
    context: str
    endpoint: str
    certificate_authority_data: str
    region: str


def cluster(env: str, outputs: dict) -> Cluster:
    """The cluster from the eks outputs; the kube context is the cluster's ARN (as `aws eks update-kubeconfig`)."""
    eks = outputs.get("eks") or {}
    missing = [name for name in ("cluster_name", "cluster_endpoint", "cluster_certificate_authority_data")
               if not eks.get(name)]
    if missing:
        raise UserError(f"the eks stack of {env} has no {', '.join(missing)} output (not applied?); "
                        "no cluster to talk to")
    settings = env_settings(env)
    region = settings.get("region", "eu-central-1")
    account = settings.get("account_id")
    context = eks.get("cluster_arn") or f"arn:aws:eks:{region}:{account}:cluster/{eks['cluster_name']}"
    return Cluster(eks["cluster_name"], context, eks["cluster_endpoint"], eks["cluster_certificate_authority_data"],
                   region)


def kubeconfig(target: Cluster, namespace: str) -> dict:
    """A kubeconfig for the cluster whose user gets a token from `aws eks get-token` (the caller's AWS identity)."""
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": target.context, "cluster": {
            "server": target.endpoint, "certificate-authority-data": target.certificate_authority_data}}],
        "users": [{"name": target.context, "user": {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "aws",
            "args": ["--region", target.region, "eks", "get-token", "--cluster-name", target.name, "--output", "json"],
            "interactiveMode": "Never",
        }}}],
        "contexts": [{"name": target.context, "context": {
            "cluster": target.context, "user": target.context, "namespace": namespace}}],
        "current-context": target.context,
    }


def write_kubeconfig(env: str, target: Cluster, namespace: str) -> Path:
    path = WORK / env / "kubeconfig"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(yaml.safe_dump(kubeconfig(target, namespace), sort_keys=False))
    path.chmod(0o600)
    return path


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


def require_reachable(env: str, target: Cluster, action: str) -> None:
    reason = probe(target.endpoint)
    if reason:
        raise UserError(f"the {env} cluster {target.name} ({target.endpoint}) cannot be reached from here: {reason}; "
                        f"{action} needs network access to its API endpoint (VPN or bastion for a private endpoint); "
                        "nothing was changed")


def require_aws_cli() -> None:
    if not shutil.which("aws"):
        raise UserError("the kubeconfig authenticates with `aws eks get-token`, and the AWS CLI is not on PATH; "
                        "install it (https://aws.amazon.com/cli/); nothing was changed")


# ---------------------------------------------------------------------------------------------------------
# Running helm


def helm_binary() -> Path:
    """The pinned helm of .toolchain (built on first use by `toolchain.ensure`)."""
    from tbyte import toolchain

    built = toolchain.GoTool("helm").binary
    if built.exists():  # the fast path: ensure() would also re-hash the provider mirror
        return built
    return toolchain.ensure(log=_say, tools=("helm",))["helm"]


def _say(message: str) -> None:
    from tbyte.console import say

    say(message)


def helm_environment() -> dict[str, str]:
    """helm keeps its configuration and caches under .toolchain/helm, never in the user's home."""
    return {**os.environ, "HELM_CONFIG_HOME": str(WORK / "config"), "HELM_CACHE_HOME": str(WORK / "cache"),
            "HELM_DATA_HOME": str(WORK / "data")}


def run_helm(command: list[str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, env=helm_environment())
    if result.returncode != 0:
        raise UserError(f"{what} failed:\n{(result.stderr or result.stdout).strip()}")
    return result


def _values_file(directory: Path, release: Release, values: dict) -> Path:
    path = directory / f"{release.env}-{release.name}.values.yaml"
    path.write_text(yaml.safe_dump(values, sort_keys=False))
    return path


def render(release: Release, helm: str | Path | None = None) -> str:
    """The manifests of a release, rendered offline by `helm template`."""
    helm = helm or helm_binary()
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        values_file = _values_file(Path(directory), release, release.values)
        command = template_command(release, values_file, helm)
        return run_helm(command, f"helm template of {release.env}/{release.name}").stdout


def render_all(env: str, outputs: dict, only: str | None = None) -> dict[str, str]:
    """{release: manifest text} of every release of an environment (or one), from the given outputs.

    outputs is {stack: {output: value}}: `operations.output(env)`, or `example_outputs(env)` offline.
    """
    helm = helm_binary()
    return {release.name: render(release, helm) for release in releases(env, outputs, only)}


def lint(env: str, outputs: dict, only: str | None = None) -> dict[str, str]:
    """`helm lint --strict` of the chart with each release's values; {release: lint output}; raises on failure."""
    helm = helm_binary()
    results = {}
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in releases(env, outputs, only):
            values_file = _values_file(Path(directory), release, lint_values(release))
            results[release.name] = run_helm(lint_command(release, values_file, helm),
                                             f"helm lint of {env}/{release.name}").stdout
            # lint reports a template's `fail` only as information; a render makes it an error.
            render(release, helm)
    return results


def write_rendered(env: str, manifests: dict[str, str], directory: Path | None = None) -> list[Path]:
    """One file per release, <directory>/<release>.yaml (default helm/rendered/<env>)."""
    directory = Path(directory) if directory else RENDERED / env
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in manifests.items():
        path = directory / f"{name}.yaml"
        path.write_text(text)
        written.append(path)
    return written


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))


def deployed_manifest(release: Release, target: Cluster, config: Path, helm: str | Path) -> str:
    """What `helm get manifest` returns for the release; "" when it was never installed."""
    result = subprocess.run(get_manifest_command(release, target.context, config, helm), capture_output=True,
                            text=True, env=helm_environment())
    if result.returncode != 0:
        if "not found" in result.stderr:
            return ""
        raise UserError(f"helm get manifest of {release.env}/{release.name} failed: {result.stderr.strip()}")
    return result.stdout


@dataclass
class DiffResult:
    release: str
    against: str
    text: str

    @property
    def changed(self) -> bool:
        return bool(self.text)


def diff(env: str, outputs: Outputs, only: str | None = None, previous: Path | None = None,
         log=print) -> list[DiffResult]:
    """The rendered manifests against the deployed ones (cluster reachable) or the previous render.

    The cluster is asked only with real outputs whose endpoint answers within PROBE_SECONDS; otherwise the
    comparison is with <previous>/<release>.yaml (default helm/rendered/<env>, written by helm.template).
    """
    helm = helm_binary()
    previous = Path(previous) if previous else RENDERED / env
    planned = releases(env, outputs.values, only)
    target = config = None
    if not outputs.example and (outputs.values.get("eks") or {}).get("cluster_endpoint"):
        candidate = cluster(env, outputs.values)
        reason = probe(candidate.endpoint)
        if reason is None and shutil.which("aws"):
            target, config = candidate, write_kubeconfig(env, candidate, planned[0].namespace)
        else:
            log(f"the {env} cluster is not reachable ({reason or 'no AWS CLI for its token'}): "
                f"comparing with the previous render in {_shown(previous)}")
    results = []
    for release in planned:
        new = render(release, helm)
        if target is not None:
            old, against = deployed_manifest(release, target, config, helm), f"deployed:{release.name}"
        else:
            path = previous / f"{release.name}.yaml"
            old, against = (path.read_text() if path.exists() else ""), _shown(path)
            if not path.exists():
                log(f"no previous render of {release.name} ({_shown(path)}): all of it is new")
        results.append(DiffResult(release.name, against, unified_diff(old, new, against, f"rendered:{release.name}")))
    return results


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def deploy(env: str, outputs: Outputs, only: str | None = None, dry_run: bool = False, log=print,
           echo=print, image: dict | None = None) -> list[list[str]]:
    """helm upgrade --install of every release (or one), in the order of the release file.

    dry_run: print the commands and the manifests they would apply (rendered offline), change nothing.
    image: {"tag": ..., "digest": ...} of a freshly built image, for one release (CI promotes it unchanged).
    Without dry_run the cluster must answer first: an unreachable endpoint fails at once.
    """
    planned = releases(env, outputs.values, only)
    if image:
        if only is None:
            raise UserError("an image tag or digest is one service's: name its release with --release")
        planned = [replace(release, values=deep_merge(release.values, {"image": image})) for release in planned]
    if outputs.example and not dry_run:
        raise UserError(f"{outputs.source} holds example outputs, not the {env} infrastructure: refusing to deploy "
                        "with them (use --dry-run to see what would be applied); nothing was deployed")
    target = cluster(env, outputs.values)
    config_path = WORK / env / "kubeconfig"
    if not dry_run:
        require_reachable(env, target, "deploying")
        require_aws_cli()
        config_path = write_kubeconfig(env, target, planned[0].namespace)
    helm = helm_binary()
    commands = []
    with tempfile.TemporaryDirectory(prefix="tbyte-helm-") as directory:
        for release in planned:
            values_file = _values_file(Path(directory), release, release.values)
            command = deploy_command(release, values_file, target.context, config_path, helm)
            commands.append(command)
            if dry_run:
                echo(f"# {' '.join(command)}")
                echo(render(release, helm))
                continue
            log(f"▶ {env}/{release.name}: helm upgrade --install (atomic, wait, {DEPLOY_TIMEOUT})")
            result = subprocess.run(command, env=helm_environment(), text=True)
            if result.returncode != 0:
                raise UserError(f"deploying {env}/{release.name} failed (helm --atomic rolled the release back); "
                                "the releases after it were not deployed")
            log(f"✓ {env}/{release.name} deployed")
    return commands


def connect(env: str, outputs: Outputs, action: str) -> tuple[Cluster, Path]:
    """The cluster and a kubeconfig for it, after checking that it answers."""
    if outputs.example:
        raise UserError(f"{outputs.source} holds example outputs: there is no {env} cluster behind them")
    target = cluster(env, outputs.values)
    require_reachable(env, target, action)
    require_aws_cli()
    return target, write_kubeconfig(env, target, load_release_file(env)["namespace"])


def rollback(env: str, outputs: Outputs, release_name: str, revision: int | None = None) -> list[str]:
    (release,) = releases(env, outputs.values, release_name)
    target, config = connect(env, outputs, "a rollback")
    command = rollback_command(release, target.context, config, revision, helm_binary())
    if subprocess.run(command, env=helm_environment(), text=True).returncode != 0:
        raise UserError(f"rollback of {env}/{release_name} failed")
    return command


def status(env: str, outputs: Outputs) -> list[dict]:
    """Each release's status as `helm status -o json` reports it ({name, status: "not installed"} if absent)."""
    planned = releases(env, outputs.values)
    target, config = connect(env, outputs, "reading the release status")
    helm = helm_binary()
    rows = []
    for release in planned:
        result = subprocess.run(status_command(release, target.context, config, helm), capture_output=True, text=True,
                                env=helm_environment())
        if result.returncode != 0:
            if "not found" in result.stderr:
                rows.append({"name": release.name, "status": "not installed"})
                continue
            raise UserError(f"helm status of {env}/{release.name} failed: {result.stderr.strip()}")
        report = json.loads(result.stdout)
        info = report.get("info", {})
        rows.append({"name": release.name, "revision": report.get("version"), "status": info.get("status"),
                     "updated": info.get("last_deployed"), "chart": report.get("chart", {}).get("metadata", {})
                     .get("version")})
    return rows
