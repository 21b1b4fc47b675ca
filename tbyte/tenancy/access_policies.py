"""The EKS access policies the tenancy uses, as Kubernetes RBAC rules.

EKS access policies are managed by AWS and cannot be read through its API. Their rules are transcribed here
from the Amazon EKS User Guide, "Review access policy permissions"
(https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). A level of
platform/tenants.yaml that names one gets these rules in its Role as well, so that the cluster's RBAC alone
grants everything the access policy grants: the same rights on every cluster, with or without access entries,
and a SubjectAccessReview (which carries no IAM identity, so the EKS authorizer does not answer it) sees them.
"""

from __future__ import annotations

READ = ["get", "list", "watch"]

POLICY_ARN_PREFIX = "arn:aws:eks::aws:cluster-access-policy/"

ACCESS_POLICIES: dict[str, dict] = {
    "AmazonEKSViewPolicy": {
        "scope": "namespace",
        "rules": [
            {"apiGroups": ["apps"], "verbs": READ, "resources": [
                "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                "statefulsets/scale", "statefulsets/status"]},
            {"apiGroups": ["autoscaling"], "verbs": READ,
             "resources": ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]},
            {"apiGroups": ["batch"], "verbs": READ,
             "resources": ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]},
            {"apiGroups": ["discovery.k8s.io"], "verbs": READ, "resources": ["endpointslices"]},
            {"apiGroups": ["extensions"], "verbs": READ, "resources": [
                "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale",
                "replicasets/status", "replicationcontrollers/scale"]},
            {"apiGroups": ["networking.k8s.io"], "verbs": READ,
             "resources": ["ingresses", "ingresses/status", "networkpolicies"]},
            {"apiGroups": ["policy"], "verbs": READ,
             "resources": ["poddisruptionbudgets", "poddisruptionbudgets/status"]},
            {"apiGroups": [""], "verbs": READ, "resources": [
                "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                "services/status"]},
            {"apiGroups": [""], "verbs": READ, "resources": [
                "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]},
            {"apiGroups": [""], "verbs": READ, "resources": ["namespaces"]},
        ],
    },
    # Everything: the same rules as Kubernetes' cluster-admin ClusterRole, which the break-glass level binds.
    "AmazonEKSClusterAdminPolicy": {
        "scope": "cluster",
        "rules": [
            {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
            {"nonResourceURLs": ["*"], "verbs": ["*"]},
        ],
    },
}

# The rules of the built-in ClusterRoles a level may bind instead of declaring its own.
BUILT_IN_CLUSTER_ROLES: dict[str, list[dict]] = {
    "cluster-admin": ACCESS_POLICIES["AmazonEKSClusterAdminPolicy"]["rules"],
}


def policy_arn(name: str) -> str:
    return POLICY_ARN_PREFIX + name
