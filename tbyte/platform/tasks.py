"""`invoke up` / `invoke down`: the whole local platform (AWS stacks, local control plane, releases)."""

from tbyte.core.environment import LOCAL
from tbyte.core.task import environment, task
from tbyte.core.tasklock import task_lock
from tbyte.platform import local


@task
def up(c):
    """Bring up the whole local platform: the AWS stacks in the emulator, the local Kubernetes control plane and
    every release of helm/releases/local.yaml (available), then prove a re-plan is clean; print key outputs."""
    target = environment(c, LOCAL)
    with task_lock(target.plans_dir, target.name, "up"):
        local.up(target)


@task
def down(c):
    """Destroy the whole local platform: the stacks, the local control plane (data, certificates), the emulator."""
    target = environment(c, LOCAL)
    with task_lock(target.plans_dir, target.name, "down"):
        local.down(target)
