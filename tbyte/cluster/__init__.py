"""The local Kubernetes control plane of `local`: etcd, kube-apiserver, controller manager, scheduler, kwok and the
Argo Rollouts controller, built from pinned Go modules, no containers; its nodes mirror the local node group."""
