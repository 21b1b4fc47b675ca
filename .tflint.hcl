# tflint over modules/ (`invoke scan`): the bundled terraform ruleset, every rule of it, none downloaded.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
