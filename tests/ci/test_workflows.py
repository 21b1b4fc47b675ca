"""The structure of the GitHub Actions workflows: the jobs the pipeline is made of, the promotion order,
least privilege, pinned actions, which job may hold which AWS role, that no plan ever leaves a runner, and the
hand-over of the reviewed change from plan job to apply job."""

import re

import pytest

from tests.ci.github import (
    ENVIRONMENTS,
    GITHUB,
    action_files,
    ancestors,
    needs,
    reachable_steps,
    reachable_uses,
    steps,
    workflow_files,
)
from tests.conftest import run_invoke

EXPECTED_JOBS = {
    "infrastructure-pr.yml": {"lint", "test", "e2e", "scan", "plan-comment"},
    "infrastructure-deploy.yml": {f"{kind}-{env}" for kind in ("plan", "apply") for env in ENVIRONMENTS},
    "application.yml": {"changes", "build", "deploy-dev", "deploy-stage", "deploy-prod"},
    "drift.yml": {"drift", "report"},
}

PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*['\"]?([^\s'\"#]+)['\"]?\s*(#.*)?$")
AWS_CREDENTIALS = "aws-actions/configure-aws-credentials@"
SARIF_UPLOAD = "github/codeql-action/upload-sarif@"
GITHUB_SCRIPT = "actions/github-script@"

# The write scopes each job may hold, and nothing else may: the rest is read (or none).
WRITE_SCOPES = {
    ("infrastructure-pr.yml", "scan"): {"security-events"},
    ("infrastructure-pr.yml", "plan-comment"): {"pull-requests"},
    **{("infrastructure-deploy.yml", f"{kind}-{env}"): {"id-token"} for kind in ("plan", "apply") for env in ENVIRONMENTS},
    **{("application.yml", f"deploy-{env}"): {"id-token"} for env in ENVIRONMENTS},
    ("drift.yml", "drift"): {"id-token"},
    ("drift.yml", "report"): {"issues"},
}


def all_documents(workflows, actions):
    return [*workflows.values(), *actions.values()]


def test_the_workflows_and_actions_are_there():
    assert {path.name for path in workflow_files()} == set(EXPECTED_JOBS)
    assert {path.parent.name for path in action_files()} == {"bootstrap", "terraform-plan", "terraform-apply",
                                                             "policy-gate", "release-image"}


@pytest.mark.parametrize("name", sorted(EXPECTED_JOBS))
def test_every_workflow_parses_with_its_triggers_and_jobs(workflows, name):
    workflow = workflows[name].data
    assert workflow.get("name")
    assert workflow["on"], f"{name} has no trigger (`on:` parses as True in YAML 1.1; the loader maps it back)"
    assert set(workflow["jobs"]) == EXPECTED_JOBS[name]


def test_every_composite_action_parses(actions):
    for path, action in actions.items():
        assert action.data["runs"]["using"] == "composite", path
        for step in steps(action.data):
            assert "uses" in step or ("run" in step and step.get("shell") == "bash"), f"{path}: {step}"


def test_triggers(workflows):
    assert set(workflows["infrastructure-pr.yml"].data["on"]) == {"pull_request"}
    deploy = workflows["infrastructure-deploy.yml"].data["on"]
    assert deploy["push"]["branches"] == ["main"] and "workflow_dispatch" in deploy
    assert workflows["application.yml"].data["on"]["push"]["branches"] == ["main"]
    schedule = workflows["drift.yml"].data["on"]["schedule"]
    minute, hour, day, month, weekday = schedule[0]["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*"), "the drift check runs every day"
    assert minute.isdigit() and hour.isdigit()
    for document in workflows.values():
        assert "pull_request_target" not in document.data["on"], f"{document.name}: never run PR code with write tokens"


def test_the_pull_request_runs_every_check(workflows, actions):
    jobs = workflows["infrastructure-pr.yml"].data["jobs"]

    def commands(job):
        return "\n".join(step.get("run", "") for step in reachable_steps(jobs[job], actions))

    lint = commands("lint")
    assert ".toolchain/bin/terraform fmt -check" in lint and "-recursive modules terragrunt" in lint
    assert ".toolchain/bin/terragrunt hcl fmt --check" in lint
    assert ".venv/bin/ruff check" in lint
    assert ".toolchain/bin/actionlint" in lint
    assert '.venv/bin/pytest -m "not slow"' in commands("test")
    assert ".venv/bin/pytest -m slow" in commands("e2e")
    scan = commands("scan")
    assert ".venv/bin/invoke plan --env local --detailed-exitcode" in scan
    assert '.venv/bin/invoke scan --env "$ENVIRONMENT"' in scan
    gate = next(step for step in steps(jobs["scan"]) if step.get("uses") == "./.github/actions/policy-gate")
    assert gate["with"]["environment"] == "local"
    sarif = [step for step in steps(jobs["scan"]) if step.get("uses", "").startswith(SARIF_UPLOAD)]
    assert sarif and sarif[0]["with"]["sarif_file"] == "${{ runner.temp }}/checkov.sarif"
    assert "!cancelled()" in sarif[0]["if"], "findings are uploaded when the gate fails"
    merge = next(step for step in steps(jobs["scan"]) if "merge_sarif.py reports/published" in step.get("run", ""))
    assert "!cancelled()" in merge["if"]
    comment = jobs["plan-comment"]
    assert needs(comment) == ["scan"]
    script = next(s for s in steps(comment) if s.get("uses", "").startswith(GITHUB_SCRIPT))["with"]["script"]
    assert "updateComment" in script and "createComment" in script, "one comment, updated on every push"


# Point 2: code from an unreviewed pull request gets no AWS power at all.
def test_pull_requests_hold_no_aws_credentials_and_plan_only_the_emulator(workflows, actions):
    document = workflows["infrastructure-pr.yml"]
    assert "AWS_PLAN_ROLE_ARN" not in document.text and "AWS_DEPLOY_ROLE_ARN" not in document.text
    for name, job in document.data["jobs"].items():
        assert "id-token" not in (job.get("permissions") or {}), name
        assert not any(u.startswith(AWS_CREDENTIALS) for u in reachable_uses(job, actions)), name
        for step in steps(job):
            for env in re.findall(r"--env[ =]+\"?([$\w]+)", step.get("run", "")):
                assert env == "local", f"{name}: plans {env}"
            if step.get("uses", "").startswith("./"):
                assert step.get("with", {}).get("environment", "local") == "local", name


def test_promotion_order_dev_stage_prod(workflows):
    jobs = workflows["infrastructure-deploy.yml"].data["jobs"]
    assert "apply-dev" in needs(jobs["apply-stage"]) and "apply-stage" in needs(jobs["apply-prod"])
    assert "apply-dev" in needs(jobs["plan-stage"]) and "apply-stage" in needs(jobs["plan-prod"])
    assert {"plan-dev", "apply-dev"} <= ancestors(jobs, "apply-stage")
    assert {"apply-dev", "apply-stage", "plan-stage"} <= ancestors(jobs, "apply-prod")
    assert not ancestors(jobs, "plan-dev")
    apps = workflows["application.yml"].data["jobs"]
    assert "build" in needs(apps["deploy-dev"])
    assert "deploy-dev" in needs(apps["deploy-stage"]) and "deploy-stage" in needs(apps["deploy-prod"])


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_apply_is_bound_to_its_environment_and_never_overlaps(workflows, env):
    deploy = workflows["infrastructure-deploy.yml"].data
    job = deploy["jobs"][f"apply-{env}"]
    assert job["environment"] == env
    assert env in job["concurrency"]["group"]
    assert job["concurrency"]["cancel-in-progress"] is False
    groups = {deploy["jobs"][f"apply-{other}"]["concurrency"]["group"] for other in ENVIRONMENTS}
    assert len(groups) == len(ENVIRONMENTS), "one concurrency group per environment"
    assert deploy["concurrency"]["cancel-in-progress"] is False
    release = workflows["application.yml"].data["jobs"][f"deploy-{env}"]
    assert release["environment"] == env
    assert env in release["concurrency"]["group"] and release["concurrency"]["cancel-in-progress"] is False




# Point 4: a job that runs without the environment's reviewers holds only a read-only role.
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_plan_jobs_hold_the_read_only_plan_role_and_take_no_lock(workflows, actions, env):
    job = workflows["infrastructure-deploy.yml"].data["jobs"][f"plan-{env}"]
    assert "environment" not in job, "a plan job needs no approval, so it must not be able to change anything"
    plan = next(step for step in steps(job) if step.get("uses") == "./.github/actions/terraform-plan")
    assert plan["with"]["environment"] == env
    assert plan["with"]["role-arn"] == f"${{{{ vars.AWS_PLAN_ROLE_ARN_{env.upper()} }}}}"
    assert plan["with"]["lock"] == "false"
    runs = "\n".join(step.get("run", "") for step in reachable_steps(job, actions))
    assert "args+=(--no-lock)" in runs and '.venv/bin/invoke plan "${args[@]}"' in runs
    assert job["outputs"]["summary-sha256"] == f"${{{{ steps.{plan['id']}.outputs.summary-sha256 }}}}"


def test_only_jobs_bound_to_an_environment_hold_the_deploy_role(workflows, actions):
    holders = []
    for name, document in workflows.items():
        for job_name, job in document.data["jobs"].items():
            text = str(job) + "".join(str(step) for step in reachable_steps(job, actions))
            deploy_roles = set(re.findall(r"AWS_DEPLOY_ROLE_ARN_([A-Z]+)", text))
            if deploy_roles:
                holders.append((name, job_name))
                assert [role.lower() for role in deploy_roles] == [job.get("environment")], f"{name}/{job_name}"
    assert sorted(holders) == sorted(
        [("application.yml", f"deploy-{env}") for env in ENVIRONMENTS]
        + [("infrastructure-deploy.yml", f"apply-{env}") for env in ENVIRONMENTS])


def test_drift_holds_only_the_drift_role(workflows):
    job = workflows["drift.yml"].data["jobs"]["drift"]
    assert [row["role-variable"] for row in job["strategy"]["matrix"]["include"]] == \
        [f"AWS_DRIFT_ROLE_ARN_{env.upper()}" for env in ENVIRONMENTS]
    assert "DEPLOY" not in workflows["drift.yml"].text and "fallback" not in workflows["drift.yml"].text
    credentials = next(s for s in steps(job) if s.get("uses", "").startswith(AWS_CREDENTIALS))
    assert credentials["with"]["role-to-assume"] == "${{ vars[matrix.role-variable] }}"


# Point 1: the apply job gets exactly the reviewed change, and no plan ever leaves a runner.
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_apply_job_plans_again_and_applies_only_the_reviewed_change(workflows, env):
    jobs = workflows["infrastructure-deploy.yml"].data["jobs"]
    plan_job, apply_job = jobs[f"plan-{env}"], jobs[f"apply-{env}"]
    upload = next(s for s in steps(plan_job) if s.get("uses", "").startswith("actions/upload-artifact@")
                  and s["with"]["name"] == f"plan-summary-{env}")
    assert upload["with"]["path"].splitlines() == ["${{ steps.plan.outputs.summary-json }}",
                                                   "${{ steps.plan.outputs.summary-markdown }}"]
    apply = next(step for step in steps(apply_job) if step.get("uses") == "./.github/actions/terraform-apply")
    assert apply["with"]["environment"] == env
    assert apply["with"]["role-arn"] == f"${{{{ vars.AWS_DEPLOY_ROLE_ARN_{env.upper()} }}}}"
    assert apply["with"]["reviewed-summary-sha256"] == f"${{{{ needs.plan-{env}.outputs.summary-sha256 }}}}"
    assert f"plan-{env}" in needs(apply_job)
    assert f"needs.plan-{env}.outputs.changes == 'true'" in apply_job["if"]
    assert "!failure()" in apply_job["if"] and "!cancelled()" in apply_job["if"]


def test_the_apply_action_verifies_compares_and_scans_before_applying(actions):
    apply = reachable_steps(actions["./.github/actions/terraform-apply"].data, actions)

    def position(predicate) -> int:
        return next(i for i, step in enumerate(apply) if predicate(step))

    download = position(lambda s: s.get("uses", "").startswith("actions/download-artifact@"))
    verify = position(lambda s: "sha256sum" in s.get("run", "") and "EXPECTED" in s.get("env", {}))
    plan = position(lambda s: '.venv/bin/invoke plan "${args[@]}"' in s.get("run", ""))
    compare = position(lambda s: "plan_summary.py compare" in s.get("run", ""))
    scan = position(lambda s: ".venv/bin/invoke scan" in s.get("run", ""))
    invoke = position(lambda s: ".venv/bin/invoke apply" in s.get("run", ""))
    assert download < verify < plan < compare < scan < invoke
    plan_call = next(s for s in steps(actions["./.github/actions/terraform-apply"].data)
                     if s.get("uses") == "./.github/actions/terraform-plan")
    assert plan_call["with"]["lock"] == "true", "the apply job plans with the lock"
    assert apply[invoke]["env"]["INVOKE_TBYTE_ASSUME_ROLE"] == "false"
    assert apply[plan]["env"]["INVOKE_TBYTE_ASSUME_ROLE"] == "false"


def test_no_plan_and_no_plan_report_is_ever_uploaded(workflows, actions):
    uploads = [(f"{name}/{job_name}", step) for name, document in workflows.items()
               for job_name, job in document.data["jobs"].items() for step in reachable_steps(job, actions)
               if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads
    for where, step in uploads:
        for path in step["with"]["path"].splitlines():
            assert ".plans" not in path and "tfplan" not in path, f"{where}: {path}"
            # Of the scan's reports only what publishable_reports.py copied; the test tiers' JUnit files are fine.
            assert path.rstrip("/") != "reports" and not path.startswith("reports/checkov"), f"{where}: {path}"
            assert "results_json" not in path and "checkov.log" not in path, f"{where}: {path}"


# Point 6: every environment that is planned is scanned, the plans about to be applied included.
@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_planned_environment_is_scanned(workflows, actions, env):
    jobs = workflows["infrastructure-deploy.yml"].data["jobs"]
    gate = [s for s in steps(jobs[f"plan-{env}"]) if s.get("uses") == "./.github/actions/policy-gate"]
    assert [s["with"]["environment"] for s in gate] == [env]
    inner = [s for s in steps(actions["./.github/actions/terraform-apply"].data)
             if s.get("uses") == "./.github/actions/policy-gate"]
    assert [s["with"]["environment"] for s in inner] == ["${{ inputs.environment }}"]
    gate_script = steps(actions["./.github/actions/policy-gate"].data)[0]["run"]
    assert '.venv/bin/invoke scan --env "$ENVIRONMENT"' in gate_script and 'exit "$rc"' in gate_script
    assert "publishable_reports.py reports reports/published" in gate_script


def test_images_are_built_once_scanned_and_promoted_by_digest(workflows, actions):
    jobs = workflows["application.yml"].data["jobs"]
    build = steps(jobs["build"])
    assert any("docker buildx build" in s.get("run", "") and "type=oci" in s["run"] for s in build)
    trivy = next(s for s in build if s.get("uses", "").startswith("aquasecurity/trivy-action@"))
    assert trivy["with"]["severity"] == "HIGH,CRITICAL" and str(trivy["with"]["exit-code"]) == "1"
    version = workflows["application.yml"].data["env"]["TRIVY_VERSION"]
    assert trivy["with"]["version"] == "${{ env.TRIVY_VERSION }}" and re.fullmatch(r"v\d+\.\d+\.\d+", version)
    assert version not in {"v0.69.4", "v0.69.5", "v0.69.6"}, "the compromised Trivy releases"
    for env in ENVIRONMENTS:
        job = jobs[f"deploy-{env}"]
        runs = "\n".join(s.get("run", "") for s in reachable_steps(job, actions))
        assert "docker build" not in runs and "buildx" not in runs, "no rebuild on promotion"
        release = next(s for s in steps(job) if s.get("uses") == "./.github/actions/release-image")
        assert release["with"]["environment"] == env
        assert release["with"]["tag"] == "${{ github.sha }}"
        assert release["with"]["image-artifact"] == "image-${{ matrix.service }}"
    runs = "\n".join(s.get("run", "") for s in steps(actions["./.github/actions/release-image"].data))
    assert "IMMUTABLE" in runs and "--preserve-digests" in runs
    assert 'invoke helm.deploy --env "$ENVIRONMENT" --release "$SERVICE"' in runs


def test_drift_opens_issues_from_a_job_without_aws_credentials(workflows, actions):
    jobs = workflows["drift.yml"].data["jobs"]
    drift = jobs["drift"]
    assert [row["env"] for row in drift["strategy"]["matrix"]["include"]] == list(ENVIRONMENTS)
    assert any("invoke drift --env" in s.get("run", "") for s in steps(drift))
    assert not any(s.get("uses", "").startswith(GITHUB_SCRIPT) for s in steps(drift))
    report = jobs["report"]
    assert needs(report) == ["drift"]
    assert not any(u.startswith(AWS_CREDENTIALS) for u in reachable_uses(report, actions))
    script = next(s for s in steps(report) if s.get("uses", "").startswith(GITHUB_SCRIPT))["with"]["script"]
    assert "code === '2'" in script and "issues.create" in script and "issues.update" in script


def test_every_third_party_action_is_pinned_to_a_commit_with_its_version(workflows, actions):
    pins: dict[str, set[str]] = {}
    for document in all_documents(workflows, actions):
        for number, line in enumerate(document.text.splitlines(), 1):
            match = USES_LINE.match(line)
            if not match:
                continue
            uses, comment = match.groups()
            if uses.startswith("./"):
                assert uses in actions, f"{document.path}:{number}: no local action {uses}"
                continue
            where = f"{document.path.relative_to(GITHUB.parent)}:{number}"
            assert PINNED.match(uses), f"{where}: {uses} is not pinned to a 40-hex commit SHA"
            assert comment and re.match(r"#\s*v\d+(\.\d+)*\b", comment), f"{where}: say the version (# vX.Y.Z)"
            action, sha = uses.split("@")
            pins.setdefault(action, set()).add(sha)
    assert pins, "no third-party action found"
    assert all(len(shas) == 1 for shas in pins.values()), f"one pin per action: {pins}"


def test_least_privilege_permissions(workflows, actions):
    for name, document in workflows.items():
        assert "write-all" not in document.text and "read-all" not in document.text, name
        assert document.data.get("permissions") in ({}, {"contents": "read"}), f"{name}: restrictive top level"
        for job_name, job in document.data["jobs"].items():
            permissions = job.get("permissions")
            assert isinstance(permissions, dict), f"{name}/{job_name}: explicit per-job permissions"
            assert set(permissions.values()) <= {"read", "write", "none"}
            writes = {scope for scope, level in permissions.items() if level == "write"}
            assert writes == WRITE_SCOPES.get((name, job_name), set()), f"{name}/{job_name}: writes {writes}"
            uses = reachable_uses(job, actions)
            assert ("id-token" in writes) == any(u.startswith(AWS_CREDENTIALS) for u in uses), \
                f"{name}/{job_name}: id-token: write exactly where AWS credentials are taken"
            assert ("security-events" in writes) == any(u.startswith(SARIF_UPLOAD) for u in uses), f"{name}/{job_name}"


def test_no_long_lived_credentials(workflows, actions):
    for document in all_documents(workflows, actions):
        text = document.text
        assert "aws-access-key-id" not in text and "aws-secret-access-key" not in text, document.path
        assert "secrets.AWS" not in text, document.path
    for name, document in workflows.items():
        for job_name, job in document.data["jobs"].items():
            for step in reachable_steps(job, actions):
                if step.get("uses", "").startswith(AWS_CREDENTIALS):
                    assert set(step["with"]) <= {"role-to-assume", "role-session-name", "aws-region"}, \
                        f"{name}/{job_name}: OIDC role only"


def test_checkouts_keep_no_token(workflows):
    for name, document in workflows.items():
        for job_name, job in document.data["jobs"].items():
            for step in steps(job):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, f"{name}/{job_name}"


def test_every_job_has_a_timeout(workflows):
    for name, document in workflows.items():
        for job_name, job in document.data["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{name}/{job_name}"


def test_the_documentation_names_every_repository_variable(workflows, actions):
    docs = (GITHUB.parent / "docs" / "ci.md").read_text()
    names = set()
    for document in all_documents(workflows, actions):
        names |= set(re.findall(r"\bvars\.([A-Z0-9_]+)", document.text))
        names |= set(re.findall(r"(?:role-variable|fallback-variable):\s*(AWS_[A-Z0-9_]+)", document.text))
    assert names, "no repository variable found"
    missing = sorted(name for name in names if name not in docs)
    assert not missing, f"docs/ci.md does not document {missing}"
    for env in ENVIRONMENTS:
        assert f"`{env}`" in docs


INVOKE_CALL = re.compile(r"\.venv/bin/invoke\s+(?P<task>[a-z][a-z0-9._-]*)(?P<rest>[^\n;|&>]*)")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
ARGS_ARRAY = re.compile(r"\bargs\+?=\(([^)]*)\)")


def test_every_task_and_flag_the_workflows_run_exists(workflows, actions):
    """The contract of docs/ci.md's table, held against the tasks themselves: a workflow never calls a task or
    a flag the repository does not have."""
    calls: dict[str, set[str]] = {}
    for document in all_documents(workflows, actions):
        jobs = document.data.get("jobs") or {"action": document.data}
        for job in jobs.values():
            for step in steps(job):
                run = step.get("run", "")
                for call in INVOKE_CALL.finditer(run):
                    flags = set(FLAG.findall(call["rest"]))
                    if "${args[@]}" in call["rest"]:  # flags gathered in a bash array first
                        flags |= {flag for words in ARGS_ARRAY.findall(run) for flag in FLAG.findall(words)}
                    calls.setdefault(call["task"], set()).update(flags)
    assert {"plan", "apply", "scan", "drift", "helm.deploy"} <= set(calls), calls
    assert {"--no-lock", "--detailed-exitcode"} <= calls["plan"]
    assert {"--image-tag", "--image-digest"} <= calls["helm.deploy"]
    for task, flags in sorted(calls.items()):
        result = run_invoke("--help", task)
        assert result.returncode == 0, f"the workflows run `invoke {task}`, which is no task: {result.stderr}"
        missing = sorted(flag for flag in flags if flag not in FLAG.findall(result.stdout))
        assert not missing, f"the workflows run `invoke {task}` with {missing}, which it does not take"
