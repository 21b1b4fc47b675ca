"""Where the policy lives and what the scan leaves out.

Policy: .checkov.yaml (checkov's configuration, global skips with a reason each), inline suppressions with a
reason (`#checkov:skip=CKV_X:reason`, annotations `checkov.io/skip1: CKV_X=reason`), policies/exceptions.yaml
(reasoned suppressions that cannot be written inline) and the platform's own checks under policies/checks/
(CKV_TBYTE_*). docs/policy.md explains them.
"""

from tbyte.core import paths

CONFIG = paths.ROOT / ".checkov.yaml"
POLICIES = paths.ROOT / "policies"
CHECKS = POLICIES / "checks"  # a folder of its own: checkov loads every YAML file of a checks folder as a policy
EXCEPTIONS_FILE = POLICIES / "exceptions.yaml"
WORKFLOWS = paths.ROOT / ".github" / "workflows"

# Not the repository's own content: tools, caches, saved plans, backups and reports.
SECRETS_EXCLUDED = (".venv", ".toolchain", ".terragrunt-cache", ".plans", "reports", ".git", ".pytest_cache",
                    ".ruff_cache", "__pycache__", ".terraform", ".state-backups")
