"""Invoke entry point of the TByte platform repository: `invoke --list` explains every task."""

from invoke import Collection

from tbyte.tasks import emulator, helm, infra, toolchain

ns = Collection(infra.up, infra.down, infra.plan, infra.apply, infra.destroy, infra.output, infra.bench,
                toolchain.toolchain)
ns.add_collection(Collection.from_module(emulator), name="emulator")
ns.add_collection(Collection.from_module(helm), name="helm")
