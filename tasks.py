"""Invoke entry point of the TByte platform repository: `invoke --list` explains every task.

Each domain package owns its collection; settings people override are under `tbyte` in Invoke's
configuration (tbyte/core/settings.py: invoke.yaml, or INVOKE_TBYTE_<NAME> variables).
"""

from invoke import Collection

from tbyte.cluster import tasks as cluster
from tbyte.core.settings import DEFAULTS
from tbyte.docs import tasks as docs
from tbyte.doctor import tasks as doctor
from tbyte.emulator import tasks as emulator
from tbyte.gitops import tasks as gitops
from tbyte.helm import tasks as helm
from tbyte.infra import tasks as infra
from tbyte.platform import tasks as platform
from tbyte.policy import tasks as policy
from tbyte.rollout import tasks as rollout
from tbyte.state import tasks as state
from tbyte.tenancy import tasks as tenancy
from tbyte.toolchain import tasks as toolchain

ns = Collection(platform.up, platform.down, infra.plan, infra.apply, infra.destroy, infra.output, infra.drift,
                infra.bench, toolchain.toolchain, policy.scan)
ns.add_collection(Collection.from_module(emulator), name="emulator")
ns.add_collection(Collection.from_module(cluster), name="cluster")
ns.add_collection(Collection.from_module(helm), name="helm")
ns.add_collection(Collection.from_module(rollout), name="rollout")
ns.add_collection(Collection.from_module(gitops), name="gitops")
ns.add_collection(state.ns, name="state")
ns.add_collection(Collection.from_module(docs), name="docs")
ns.add_collection(tenancy.ns, name="tenancy")
ns.add_collection(Collection.from_module(doctor), name="doctor")
ns.configure({"tbyte": DEFAULTS})
