"""The whole local platform at once: the AWS stacks in the emulator, the local control plane, the releases."""
