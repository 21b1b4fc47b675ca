# platform/tenants.yaml as the AWS side needs it, for the unit that reads this file (read_terragrunt_config):
# the access groups of its environment, with the same names tbyte/tenancy/model.py gives them (a test compares
# both): IAM role `tbyte-<env>-<level>` or `tbyte-<env>-<team>-<level>`, Kubernetes group `tbyte:<level>` or
# `tbyte:<team>:<level>`. Team groups exist where the team has a namespace in the environment; a level with
# `environments` exists only there.

locals {
  env          = read_terragrunt_config("${get_original_terragrunt_dir()}/../env.hcl").locals
  tenants      = yamldecode(file(mark_as_read("${get_repo_root()}/platform/tenants.yaml")))
  environment  = local.env.environment
  environments = sort([for path in fileset("${get_repo_root()}/terragrunt", "*/env.hcl") : dirname(path)])
  prefix       = "tbyte-${local.environment}"

  levels = {
    for name, level in local.tenants.levels : name => merge(level, {
      environments = try(level.environments, local.environments)
      mfa          = try(level.mfa, true)
      hours        = try(level.max_session_hours, 1)
      policy       = try(level.eks_access_policy, null)
    })
  }

  team_namespaces = {
    for team, spec in local.tenants.teams : team => sort([
      for namespace, settings in spec.namespaces : namespace
      if contains(try(settings.environments, local.environments), local.environment)
    ])
  }

  cluster_groups = {
    for name, level in local.levels : name => {
      level            = name
      team             = "platform"
      role_name        = "${local.prefix}-${name}"
      kubernetes_group = "tbyte:${name}"
      members          = local.tenants.platform.members[name]
      namespaces       = []
    } if level.scope == "cluster" && contains(level.environments, local.environment)
  }

  team_groups = merge([
    for team, spec in local.tenants.teams : {
      for level, members in spec.members : "${team}-${level}" => {
        level            = level
        team             = team
        role_name        = "${local.prefix}-${team}-${level}"
        kubernetes_group = "tbyte:${team}:${level}"
        members          = members
        namespaces       = local.team_namespaces[team]
      } if contains(local.levels[level].environments, local.environment) && length(local.team_namespaces[team]) > 0
    }
  ]...)

  groups = merge(local.cluster_groups, local.team_groups)

  # modules/iam `access_groups`.
  access_groups = {
    for key, group in local.groups : key => {
      role_name         = group.role_name
      team              = group.team
      members           = [for member in group.members : replace(replace(member, "{account_id}", local.env.account_id), "{environment}", local.environment)]
      require_mfa       = local.levels[group.level].mfa
      max_session_hours = local.levels[group.level].hours
      break_glass       = group.level == "break-glass"
      description       = trimspace(local.levels[group.level].description)
    }
  }

  # modules/eks-access `access_entries`, without principal_arn (the iam stack's output).
  access_entries = {
    for key, group in local.groups : key => {
      kubernetes_groups = [group.kubernetes_group]
      access_policy     = local.levels[group.level].policy == null ? null : { name = local.levels[group.level].policy, namespaces = group.namespaces }
    }
  }

  # The role ARNs as the iam stack names them (mocks of its output for plans before it is applied).
  role_arns = { for key, group in local.groups : key => "arn:aws:iam::${local.env.account_id}:role/${group.role_name}" }
}
