"""Upstream manifests (CRDs, RBAC) read from the Go module zips that tools/<tool>/go.mod pins.

`go mod download -json <module>` in the tool's folder fetches the zip from the module proxy (once; it stays in
the module cache) and verifies it against that go.sum, so every manifest is the upstream release's own.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused


@functools.cache
def module_dir(tool: str, module: str) -> Path:
    """The extracted, go.sum-verified module `module` at the version tools/<tool>/go.mod requires."""
    env = {**os.environ, "GOFLAGS": "-mod=readonly", "GOTOOLCHAIN": "local"}
    result = subprocess.run(["go", "mod", "download", "-json", module], cwd=paths.TOOLS / tool, env=env,
                            capture_output=True, text=True)
    try:
        found = json.loads(result.stdout)
    except json.JSONDecodeError:
        found = {}
    if result.returncode != 0 or "Dir" not in found:
        raise Refused(f"the module {module} pinned by tools/{tool}/go.mod could not be fetched: "
                      f"{found.get('Error') or result.stderr.strip() or 'no output'}")
    return Path(found["Dir"])


def manifest(tool: str, module: str, path: str) -> Path:
    found = module_dir(tool, module) / path
    if not found.is_file():
        raise Refused(f"{module} (tools/{tool}) has no {path}")
    return found
