"""The saved plans of an environment as checkov targets: each `terragrunt show -json` of a saved plan, enriched
with the stack's modules so that the code's inline suppressions apply.

`local` is planned first when a plan is missing or stale; the plans of dev, stage and prod are the ones
`invoke plan --env E` saved with that environment's credentials (reported as not scanned when missing).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tbyte.core import paths, process
from tbyte.core.console import say
from tbyte.core.environment import Environment
from tbyte.core.files import write_private
from tbyte.infra import plans, terragrunt
from tbyte.infra.graph import Stack, graph, render
from tbyte.infra.operations import plan as plan_environment
from tbyte.policy.model import Target
from tbyte.policy.targets import plan_file_target

# A saved plan holds everything `show` prints; the dependencies' outputs only feed the inputs Terragrunt passes
# along, so unapplied dependencies show with their mocks (mock_outputs_allowed_terraform_commands includes show).
# (With --no-dependency-outputs Terragrunt passes empty values that Terraform cannot parse for list inputs:
# "Couldn't show local plan: Missing expression".)
SHOW = ["show", "-json"]


def unit_inputs(stack: Stack) -> dict[str, str]:
    """The unit's inputs as TF_VAR_ variables, dependencies from their mocks (no state is read).

    `terragrunt show` of a saved plan needs no input (the plan carries its variables), but Terragrunt still
    evaluates the unit's configuration, and its dependency outputs may not exist (local, nothing applied) or be
    out of reach. With --no-dependency-outputs they are unknown and Terragrunt hands Terraform empty values for
    them (a list input then fails `terraform init`); variables already set in the environment are kept, so the
    rendered inputs are set there.
    """
    inputs = render(stack.env, stack.name).get("inputs") or {}
    return {f"TF_VAR_{key}": value if isinstance(value, str) else json.dumps(value)
            for key, value in inputs.items() if value is not None}


def show_plan(stack: Stack, output: Path) -> str | None:
    """`terragrunt show -json` of the stack's saved plan into `output` (private: it holds planned values);
    None, or the error."""
    command = [str(paths.BIN / "terragrunt"), *SHOW, str(plans.plan_file(stack).resolve())]
    environment = {**terragrunt.environment(stack.env), **unit_inputs(stack)}
    for _attempt in range(2):
        # Read-only, so tried twice: every stack's show reads its dependencies' outputs at the same time, and
        # Terragrunt now and then loses one of them ("There is no variable named dependency").
        result = process.run(command, cwd=stack.directory, env=environment)
        if result.returncode == 0 and result.stdout.lstrip().startswith("{"):
            break
    else:
        return terragrunt.first_error(result)
    write_private(output, result.stdout)
    return None


def plan_targets(env: Environment, directory: Path, log=say) -> list[Target]:
    """One target per saved plan of the environment."""
    stacks = graph(env).stacks
    outdated = [stack for stack in stacks.values()
                if plans.load_record(stack) is None or plans.code_stale_reason(stack, plans.load_record(stack))]
    if env.is_local and outdated:
        log(f"planning {env} first: no current saved plan for {', '.join(stack.name for stack in outdated)}")
        plan_environment(env)
    targets: list[Target] = []
    present = []
    for name, stack in stacks.items():
        if plans.load_record(stack) is None:
            targets.append(Target(f"plan {env}/{name}", "plans", "terraform_plan", env=env.name,
                                  skipped=f"no saved plan: run `invoke plan --env {env}` first"
                                  + ("" if env.is_local else " (needs the AWS credentials of the environment)")))
            continue
        present.append(stack)
    with ThreadPoolExecutor(max_workers=max(1, len(present))) as pool:
        errors = dict(zip([stack.name for stack in present],
                          pool.map(lambda stack: show_plan(stack, directory / f"{stack.name}.json"), present),
                          strict=True))
    for stack in present:
        target = plan_file_target(directory / f"{stack.name}.json", f"plan {env}/{stack.name}",
                                  enrichment_roots(stack), env.name)
        if errors[stack.name]:
            target.inputs = []  # reported as an error: a saved plan that cannot be read is not a pass
            target.warning = f"terragrunt show failed: {errors[stack.name]}"
        else:
            stale = plans.code_stale_reason(stack, plans.load_record(stack))
            if stale:
                target.warning = f"the saved plan is stale ({stale}): re-plan to scan the current code"
        targets.append(target)
    return targets


def enrichment_roots(stack: Stack) -> list[Path]:
    """The module folders of a stack for plan enrichment: the ones it calls outside its own module, then its own.

    checkov maps a plan's resource to its code by `type.name` only; the stack's own module comes last so that its
    resources win when a called module has one of the same name (submodules are folders below a root).
    """
    folders = {paths.ROOT / name for name in stack.modules}
    roots = [folder for folder in folders if not any(other != folder and other in folder.parents for other in folders)]
    own = paths.ROOT / stack.module
    return sorted((root for root in roots if root != own), key=str) + [own]
