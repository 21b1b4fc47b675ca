"""`invoke toolchain`: prepare .toolchain/ and print the resolved versions."""

import json

from tbyte.core.console import show
from tbyte.core.task import settings, task
from tbyte.toolchain import setup


@task(help={"json": "print one JSON object with the resolved version of every tool"})
def toolchain(c, json_=False):
    """Prepare .toolchain/: terraform shim, verified AWS provider mirror, terragrunt/helm/actionlint builds.

    promtool and otelcol are listed with their pinned versions; they are built on first use (tests, scan).
    """
    versions = setup.versions(settings(c))
    if json_:
        print(json.dumps(versions))
    else:
        for name, version in versions.items():
            show(f"{name:13} {version}")
