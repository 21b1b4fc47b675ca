"""`invoke docs.build`: every generated file of docs/, from the repository, the same bytes for the same inputs.

    docs/diagrams/<name>.dot|.svg|.png   aws, kubernetes, cicd: the model (DOT), laid out (SVG), rasterised (PNG)
    docs/index.md, docs/sections/**.md   the regions between markers (markers.py) filled in
    docs/presentation.pptx               the deck (deck.py)

Nothing here runs a benchmark, an emulator or the network: figures come from docs/figures.json and the AWS
inventory from docs/data/aws-<env>.json, both written by `invoke docs.figures`. `check()` builds everything in
memory and lists what differs from the files, which is what the tests run.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.docs import aws, cicd, deck, diagrams, kubernetes, markers, snippets, tables
from tbyte.docs import figures as figure_values

DOCS = paths.ROOT / "docs"
SECTIONS = DOCS / "sections"
DIAGRAMS = DOCS / "diagrams"
DIAGRAM_NAMES = ("aws", "kubernetes", "cicd")


def documents() -> list[Path]:
    """The Markdown with generated regions: the front page and every section."""
    return [DOCS / "index.md", *sorted(SECTIONS.rglob("*.md"))]


@dataclass
class Sources:
    """What the generated files are made from, read once per build."""

    figures: figure_values.Figures
    models: dict[str, diagrams.Diagram]
    manifests: dict[str, str]
    inventory: dict


def sources() -> Sources:
    figures = figure_values.Figures.load()
    inventory = aws.load_inventory()
    manifests, outputs = kubernetes.rendered()
    models = {"aws": aws.diagram(inventory), "kubernetes": kubernetes.diagram(manifests, outputs),
              "cicd": cicd.diagram()}
    return Sources(figures, models, manifests, inventory)


def diagram_markdown(name: str, found: Sources, document: Path) -> str:
    if name not in found.models:
        raise Refused(f"{paths.shown(document)}: no diagram {name!r}; the diagrams: {', '.join(DIAGRAM_NAMES)}")
    model = found.models[name]
    image = os.path.relpath(DIAGRAMS / name, document.parent)
    return (f"```mermaid\n{diagrams.mermaid(model)}\n```\n\n"
            f"*Drawn by `invoke docs.build` from {model.source}; as images: [SVG]({image}.svg), [PNG]({image}.png).*")


def table_markdown(spec: str, found: Sources, document: Path) -> str:
    name, *arguments = spec.split()
    where = paths.shown(document)
    if name == "environments":
        return tables.environments_table(arguments)
    if name == "toolchain":
        return tables.toolchain_table(arguments)
    if arguments:
        raise Refused(f"{where}: table {name} takes no arguments")
    builders = {
        "stacks": lambda: tables.stacks_table(document),
        "modules": lambda: tables.modules_table(document),
        "figures": lambda: tables.figures_table(found.figures),
        "sections": lambda: tables.sections_table(document),
        "releases": lambda: tables.releases_table(found.manifests),
        "inventory": lambda: tables.inventory_table(found.inventory),
    }
    if name not in builders:
        raise Refused(f"{where}: unknown table {name!r}; the tables: environments, toolchain, {', '.join(builders)}")
    return builders[name]()


def expand_document(document: Path, found: Sources) -> str:
    where = paths.shown(document)
    expanders = {
        "snippet": lambda spec, line: snippets.expand(spec, document, f"{where}:{line}"),
        "figure": lambda spec, line: figure_values.expand(spec, found.figures, f"{where}:{line}"),
        "diagram": lambda spec, line: diagram_markdown(spec, found, document),
        "table": lambda spec, line: table_markdown(spec, found, document),
    }
    return markers.expand(document.read_text(), expanders, where)


def measured_date(figures: figure_values.Figures) -> str:
    dates = sorted(source.get("measured_at", "")[:10] for source in figures.sources.values())
    return dates[-1] if dates else "never (run invoke docs.figures)"


def generate(with_deck: bool = True) -> dict[Path, bytes]:
    """{path: content} of every generated file."""
    found = sources()
    generated: dict[Path, bytes] = {}
    images = {}
    for name in DIAGRAM_NAMES:
        dot = diagrams.dot(found.models[name])
        svg = diagrams.svg(dot)
        images[name] = diagrams.png(svg)
        generated[DIAGRAMS / f"{name}.dot"] = dot.encode()
        generated[DIAGRAMS / f"{name}.svg"] = svg.encode()
        generated[DIAGRAMS / f"{name}.png"] = images[name]
    for document in documents():
        generated[document] = expand_document(document, found).encode()
    if with_deck:
        generated[deck.DECK] = deck.build(found.figures, images, measured_date(found.figures))
    return generated


def stale(generated: dict[Path, bytes]) -> list[Path]:
    return [path for path, content in generated.items() if not path.exists() or path.read_bytes() != content]


def write(path: Path, content: bytes) -> None:
    """Atomically, readable by everyone (these are the repository's documents, not secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(check: bool = False, with_deck: bool = True) -> list[Path]:
    """The generated files that were not current (written unless `check`)."""
    generated = generate(with_deck)
    changed = stale(generated)
    if not check:
        for path in changed:
            write(path, generated[path])
    return changed


