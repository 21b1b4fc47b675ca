"""Diagrams as code: one model per diagram, written as Mermaid for the Markdown and as DOT for the images.

The models come from the repository (aws.py: an environment's planned resources; kubernetes.py: the rendered
Helm releases; cicd.py: the workflows). Mermaid renders on the code host; the images (SVG, and PNG for the deck)
are laid out by Graphviz, built from the Go module proxy (tools/graphviz: go-graphviz embeds Graphviz compiled to
WebAssembly, so no system Graphviz is needed), and the SVG is rasterised by resvg (PyPI resvg-py) with the Roboto
font of PyPI font-roboto and no system font, so the same model gives the same bytes on every machine.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tbyte.core.errors import Refused
from tbyte.toolchain.go_tools import GoTool

# kind -> (fill, border) of nodes; clusters have their own.
PALETTE = {
    "external": ("#f1f3f4", "#5f6368"),
    "edge": ("#fde7e9", "#c5221f"),
    "network": ("#e8f0fe", "#1a73e8"),
    "compute": ("#fef7e0", "#e37400"),
    "data": ("#e6f4ea", "#137333"),
    "security": ("#fce8f3", "#a142f4"),
    "ops": ("#e4f7fb", "#007b83"),
    "registry": ("#fff4e5", "#b06000"),
    "job": ("#ffffff", "#3c4043"),
    "gated": ("#fff8e1", "#b06000"),
}
CLUSTER_STYLE = {
    "cloud": ("#ffffff", "#232f3e"),
    "vpc": ("#f5f9ff", "#1a73e8"),
    "zone": ("#ffffff", "#8ab4f8"),
    "tier": ("#fafafa", "#bdc1c6"),
    "group": ("#ffffff", "#9aa0a6"),
    "namespace": ("#f8f9fa", "#5f6368"),
}
DPI = 144.0  # the PNG: twice the SVG's 72 points per inch, sharp on a slide


@dataclass
class Node:
    id: str
    label: str
    kind: str = "compute"
    shape: str = "box"  # box, cylinder, oval


@dataclass
class Cluster:
    id: str
    label: str
    style: str = "group"
    nodes: list[Node] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    direction: str | None = None  # Mermaid only: TB or LR inside the subgraph


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False
    upward: bool = False  # DOT: laid out from target to source (the arrow still points at the target)


@dataclass
class Diagram:
    name: str
    title: str
    direction: str = "LR"
    nodes: list[Node] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    source: str = ""  # what it was drawn from, said under the diagram
    ranks: list[list[str]] = field(default_factory=list)  # DOT only: nodes laid out side by side
    columns: list[list[str]] = field(default_factory=list)  # DOT only: nodes laid out one under the other

    def all_nodes(self) -> list[Node]:
        found = list(self.nodes)
        pending = list(self.clusters)
        while pending:
            cluster = pending.pop(0)
            found.extend(cluster.nodes)
            pending.extend(cluster.clusters)
        return found

    def check(self) -> None:
        ids = [node.id for node in self.all_nodes()]
        duplicates = sorted({name for name in ids if ids.count(name) > 1})
        if duplicates:
            raise Refused(f"diagram {self.name}: nodes defined twice: {', '.join(duplicates)}")
        missing = sorted({end for edge in self.edges for end in (edge.source, edge.target) if end not in ids})
        if missing:
            raise Refused(f"diagram {self.name}: edges to unknown nodes: {', '.join(missing)}")
        placed = sorted({name for group in (*self.ranks, *self.columns) for name in group if name not in ids})
        if placed:
            raise Refused(f"diagram {self.name}: ranks or columns of unknown nodes: {', '.join(placed)}")


def identifier(*parts: str) -> str:
    """A node id both Mermaid and DOT take: letters, digits and underscores."""
    return re.sub(r"\W+", "_", "_".join(parts)).strip("_").lower() or "node"


# ---------------------------------------------------------------------------------------------------- Mermaid


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", "<br/>")


def _mermaid_node(node: Node) -> str:
    text = _mermaid_text(node.label)
    shapes = {"cylinder": f'[("{text}")]', "oval": f'(["{text}"])', "box": f'["{text}"]'}
    return node.id + shapes[node.shape]


def mermaid(diagram: Diagram) -> str:
    diagram.check()
    lines = [f"flowchart {diagram.direction}"]

    def cluster(item: Cluster, depth: int) -> None:
        pad = "  " * depth
        lines.append(f'{pad}subgraph {item.id}["{_mermaid_text(item.label)}"]')
        if item.direction:
            lines.append(f"{pad}  direction {item.direction}")
        for node in item.nodes:
            lines.append(f"{pad}  {_mermaid_node(node)}")
        for inner in item.clusters:
            cluster(inner, depth + 1)
        lines.append(f"{pad}end")

    for node in diagram.nodes:
        lines.append(f"  {_mermaid_node(node)}")
    for item in diagram.clusters:
        cluster(item, 1)
    for edge in diagram.edges:
        arrow = "-.->" if edge.dashed else "-->"
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
    kinds: dict[str, list[str]] = {}
    for node in diagram.all_nodes():
        kinds.setdefault(node.kind, []).append(node.id)
    for kind in sorted(kinds):
        fill, stroke = PALETTE[kind]
        lines.append(f"  classDef kind_{kind} fill:{fill},stroke:{stroke},color:#202124")
        lines.append(f"  class {','.join(kinds[kind])} kind_{kind}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- DOT


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _dot_node(node: Node, pad: str) -> str:
    fill, stroke = PALETTE[node.kind]
    shape = {"cylinder": "cylinder", "oval": "ellipse"}.get(node.shape, "box")
    style = "filled" if shape != "box" else "rounded,filled"
    return (f'{pad}{node.id} [label="{_dot_text(node.label)}", shape={shape}, style="{style}", '
            f'fillcolor="{fill}", color="{stroke}"];')


def dot(diagram: Diagram) -> str:
    diagram.check()
    lines = [f'digraph "{diagram.name}" {{',
             f'  graph [rankdir={diagram.direction}, fontname="Helvetica", fontsize=16, labelloc=t, '
             f'label="{_dot_text(diagram.title)}", nodesep=0.35, ranksep=0.6, pad=0.3, compound=true, '
             'newrank=true];',
             '  node [fontname="Helvetica", fontsize=12, margin="0.15,0.06", penwidth=1.2];',
             '  edge [fontname="Helvetica", fontsize=10, color="#5f6368", fontcolor="#3c4043", arrowsize=0.7];']

    def cluster(item: Cluster, depth: int) -> None:
        pad = "  " * depth
        fill, stroke = CLUSTER_STYLE[item.style]
        lines.append(f'{pad}subgraph "cluster_{item.id}" {{')
        lines.append(f'{pad}  label="{_dot_text(item.label)}"; style="rounded,filled"; fillcolor="{fill}"; '
                     f'color="{stroke}"; fontsize=13; labeljust=l;')
        for node in item.nodes:
            lines.append(_dot_node(node, pad + "  "))
        for inner in item.clusters:
            cluster(inner, depth + 1)
        lines.append(f"{pad}}}")

    for node in diagram.nodes:
        lines.append(_dot_node(node, "  "))
    for item in diagram.clusters:
        cluster(item, 1)
    for edge in diagram.edges:
        attributes = []
        if edge.label:
            attributes.append(f'label="{_dot_text(edge.label)}"')
        if edge.dashed:
            attributes.append("style=dashed")
        source, target = edge.source, edge.target
        if edge.upward:
            source, target = target, source
            attributes.append("dir=back")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {source} -> {target}{suffix};")
    for rank in diagram.ranks:
        lines.append(f"  {{ rank=same; {'; '.join(rank)}; }}")
    for column in diagram.columns:
        for upper, lower in zip(column, column[1:], strict=False):
            lines.append(f"  {upper} -> {lower} [style=invis];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------- images


def graphviz_binary() -> Path:
    """The pinned Graphviz of .toolchain (built on first use)."""
    tool = GoTool("graphviz")
    return tool.binary if tool.built() else tool.ensure_built()["graphviz"]


def svg(dot_text: str) -> str:
    """The diagram laid out by Graphviz, as SVG."""
    result = subprocess.run([str(graphviz_binary())], input=dot_text, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"graphviz failed: {result.stderr.strip()}")
    return result.stdout


def font_files() -> list[str]:
    import font_roboto

    folder = Path(font_roboto.__file__).parent / "files"
    return [str(path) for path in sorted(folder.glob("Roboto-*.ttf"))]


def png(svg_text: str) -> bytes:
    """The SVG rasterised with the pinned font only (no system font), on white."""
    import resvg_py

    return resvg_py.svg_to_bytes(svg_string=svg_text, skip_system_fonts=True, font_files=font_files(),
                                 style_sheet="text { font-family: Roboto; }", background="#ffffff", dpi=DPI)
