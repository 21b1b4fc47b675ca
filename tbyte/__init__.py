"""Library behind the Invoke tasks of the TByte platform repository, one package per domain.

core/       the Environment every task resolves once, errors and exit codes, console, private files, processes
toolchain/  .toolchain/: terraform shim, verified provider mirror, Go tools built from pinned go.mod files
emulator/   the embedded AWS emulator (moto) and its corrections
infra/      the Terragrunt stacks: graph, saved plans, plan/apply/destroy/output, drift, the S3 backend, bench
state/      state surgery through one protocol (backup, preview, --yes, verify, undo)
policy/     `invoke scan`: checkov over modules, plans, manifests, workflows, secrets
helm/       the Helm releases of every environment
Data flows down: helm and policy use infra; state uses infra; everything uses core.
"""
