// Pins the upstream Kubernetes manifests the local platform installs (CRDs, RBAC, charts), as Go module zips
// verified by go.sum: nothing here is built. The Argo Rollouts and kwok manifests come from the modules their
// tools pin (tools/argo-rollouts, tools/kwok).
module tbyte.local/tools/k8s-manifests

go 1.26.0

require (
	github.com/external-secrets/external-secrets v1.3.2
	github.com/prometheus-operator/prometheus-operator v0.85.0
	sigs.k8s.io/metrics-server v0.9.0
)
