"""`invoke doctor k8s` (A2): the environment's cluster read with `kubectl get` only."""
