"""The offline toolchain under .toolchain/: terraform shim, verified AWS provider mirror, Go tools."""
