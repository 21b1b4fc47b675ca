import json

from tbyte import toolchain as tools
from tbyte.tasks.base import task


@task(help={"json": "print one JSON object with the resolved version of every tool"})
def toolchain(c, json_=False):
    """Prepare .toolchain/: terraform shim, verified AWS provider mirror, terragrunt/helm/actionlint builds."""
    versions = tools.versions()
    if json_:
        print(json.dumps(versions))
    else:
        for name, version in versions.items():
            print(f"{name:13} {version}")
