"""GitOps with Argo CD from the add-on catalogue (platform/addons): the catalogue and its Go module sources, the
cluster metadata Terraform hands over (gitops-bridge), the ApplicationSets of the add-ons and services, the
observability manifests, rendering, the bootstrap, and the local installs (local.py)."""
