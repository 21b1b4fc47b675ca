"""The Helm releases of every environment: release files and their references (releases, outputs), rendering
and linting (render), diffs (diff), deploy/rollback/status against the cluster (deploy, cluster), the chart's
generated values schema (schema)."""
