"""Argo Rollouts canaries of the releases: where a canary stands (step, weight, analysis), and in local the
canary signals its analysis reads."""
