"""Tenancy: who may do what in the platform's Kubernetes clusters, from one declaration (platform/tenants.yaml).

    declaration.py   the file, validated
    model.py         one environment's tenancy: namespaces, groups, service accounts, the expected matrix
    manifests.py     the Kubernetes side: helm/charts/tenancy's values, rendered or installed with helm
    kube.py          a small Kubernetes API client (kubeconfig: client certificates, tokens, exec plugins)
    check.py         the allow/deny matrix asked of an API server with SubjectAccessReviews
    tasks.py         invoke tenancy.check | tenancy.matrix | tenancy.template | tenancy.install
"""
