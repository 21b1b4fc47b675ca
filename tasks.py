"""Invoke entry point of the TByte platform repository: `invoke --list` explains every task."""

from invoke import Collection

from tbyte.tasks import emulator, helm, infra, scan, state, toolchain

ns = Collection(infra.up, infra.down, infra.plan, infra.apply, infra.destroy, infra.output, infra.bench,
                toolchain.toolchain)
ns.add_collection(Collection.from_module(emulator), name="emulator")
ns.add_collection(Collection.from_module(helm), name="helm")
ns.add_task(state.drift)
ns.add_collection(Collection.from_module(state), name="state")
ns.add_task(scan.scan)
