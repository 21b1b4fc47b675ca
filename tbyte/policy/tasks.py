"""scan: the policy gate. checkov, fully offline, over the modules, the saved plans, the rendered Helm manifests,
the GitHub workflows and the whole repository for secrets, with the platform's own checks (docs/policy.md)."""

import invoke

from tbyte.core.task import environment, settings, task
from tbyte.policy import gate
from tbyte.policy.report import print_summary


@task(help={
    "env": "the environment whose saved plans are scanned (default local, planned first when its plans are missing "
           "or stale; dev/stage/prod: the plans `invoke plan --env E` saved, with that environment's credentials)",
    "path": "scan only this Terraform directory (framework terraform, with the custom checks), e.g. to review a change",
})
def scan(c, env="local", path=None):
    """checkov over modules, plans, Helm manifests, workflows and secrets; exit 1 on any unsuppressed failure.

    A summary table per target (passed, failed, suppressed) and the failures (check id, resource, file) on the
    terminal; SARIF, JUnit XML and JSON per target under reports/checkov/, a summary in reports/scan-summary.json.
    checkov runs from its own environment (.toolchain/checkov, installed from tools/checkov/requirements.txt on
    first use) with every network connection refused.
    """
    result = gate.scan_path(path, settings(c)) if path is not None else gate.run(environment(c, env))
    print_summary(result)
    if not result.ok:
        raise invoke.Exit(code=1)
