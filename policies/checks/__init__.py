"""The platform's own checkov checks, loaded by `invoke scan` with --external-checks-dir policies (docs/policy.md)."""
