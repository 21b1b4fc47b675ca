#!/usr/bin/env bash
# The one set-up of this repository, idempotent and a fast no-op when nothing changed:
#   1. .venv/ with every Python package pinned in uv.lock (uv itself comes from PyPI, pinned below), compiled
#      to bytecode with the repository's own code: every task starts without compiling ~600 modules (~1 s);
#   2. .toolchain/ via `invoke toolchain`: terraform shim, hash-verified AWS provider mirror,
#      terragrunt / helm / actionlint built from the Go module proxy (first run only: a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3}

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "bootstrap: Python >= 3.11 is needed ($PYTHON is $("$PYTHON" -V 2>&1))" >&2; exit 1; }
command -v go >/dev/null || { echo "bootstrap: Go is needed to build terragrunt and helm (none on PATH)" >&2; exit 1; }

uv=.toolchain/uv/bin/uv
if ! [[ -x $uv ]] || [[ $($uv --version) != "uv $UV_VERSION"* ]]; then
  echo "bootstrap: installing uv $UV_VERSION"
  "$PYTHON" -m venv .toolchain/uv
  .toolchain/uv/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

stamp=.venv/.bootstrap-stamp
wanted=$( (cat pyproject.toml uv.lock; echo compile-bytecode) | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
  echo "bootstrap: .venv is current"
else
  echo "bootstrap: syncing .venv from uv.lock"
  UV_PYTHON_DOWNLOADS=never $uv sync --frozen --compile-bytecode --python "$PYTHON" --quiet
  echo "$wanted" > "$stamp"
fi
# Bytecode is written here once, so that it exists even where PYTHONDONTWRITEBYTECODE is set (a no-op when current).
.venv/bin/python -m compileall -q tbyte tasks.py

.venv/bin/invoke toolchain
