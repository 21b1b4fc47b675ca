# Every unit is this same file: the stack is named by its folder, the environment by its parent's env.hcl.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/${basename(get_terragrunt_dir())}.hcl"
}
