# The access policy associations, derived from the entries without the provider (tests plan this file with the
# variables alone, since no provider offline has the access entry resources): a group with namespaces gets its
# policy in those namespaces, a group without namespaces cluster-wide.

locals {
  associations = {
    for key, entry in var.access_entries : key => {
      policy     = entry.access_policy.name
      scope      = length(entry.access_policy.namespaces) > 0 ? "namespace" : "cluster"
      namespaces = length(entry.access_policy.namespaces) > 0 ? sort(entry.access_policy.namespaces) : null
    } if entry.access_policy != null
  }
}
