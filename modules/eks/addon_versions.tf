# The one place the EKS managed add-on versions are pinned, per Kubernetes minor version (addons.tf reads it;
# a kubernetes_version without an entry is refused). Sources, 2026-11: AWS's version tables
# (docs.aws.amazon.com/eks: managing-kube-proxy, managing-coredns, managing-vpc-cni) and
# `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <a>`; run that command before changing
# a line. (A .tf file, not JSON: a saved plan keeps only the .tf files, and `terraform show` of it reads no other.)
locals {
  addon_versions = {
    "1.34" = {
      vpc-cni                         = "v1.21.1-eksbuild.8"
      coredns                         = "v1.13.2-eksbuild.4"
      kube-proxy                      = "v1.34.6-eksbuild.2"
      aws-ebs-csi-driver              = "v1.62.0-eksbuild.1"
      eks-pod-identity-agent          = "v1.3.10-eksbuild.3"
      amazon-cloudwatch-observability = "v4.5.0-eksbuild.1"
    }
    "1.35" = {
      vpc-cni                         = "v1.21.1-eksbuild.8"
      coredns                         = "v1.13.2-eksbuild.4"
      kube-proxy                      = "v1.35.3-eksbuild.2"
      aws-ebs-csi-driver              = "v1.62.0-eksbuild.1"
      eks-pod-identity-agent          = "v1.3.10-eksbuild.3"
      amazon-cloudwatch-observability = "v4.5.0-eksbuild.1"
    }
  }
}
