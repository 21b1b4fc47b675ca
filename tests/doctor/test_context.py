"""What the doctor keeps of a local platform goes with it (`invoke down` calls context.forget)."""

from dataclasses import replace

from tbyte.core.environment import Environment
from tbyte.doctor import context
from tbyte.doctor.drills import workcopy
from tbyte.emulator.manager import free_port


def test_forget_removes_the_doctors_folder_and_the_drills_working_copy_of_that_platform_only():
    local = Environment.resolve("local")
    mine, other = (Environment.resolve("local", replace(local.settings, kube_port=free_port())) for _ in range(2))
    made = []
    for env in (mine, other):
        for folder in (context.work_dir(env), workcopy.location(env)):
            folder.mkdir(parents=True)
            (folder / "kubeconfig").write_text("kept by the doctor")
            made.append(folder)
    (workcopy.location(mine) / ".port").write_text(str(free_port()))  # its emulator is not running: nothing to stop
    try:
        context.forget(mine)
        assert not context.work_dir(mine).exists() and not workcopy.location(mine).exists()
        assert context.work_dir(other).exists() and workcopy.location(other).exists(), "another platform's are kept"
    finally:
        for folder in made:
            workcopy.remove(folder)
