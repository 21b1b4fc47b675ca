"""The generated regions of the Markdown: a begin marker says what goes there, `invoke docs.build` fills it in.

A block region starts a line and ends with its closing marker on a line of its own:

    <!-- snippet: modules/eks/main.tf block=resource "aws_eks_cluster" "this" -->
    (the quoted code, written by the generator)
    <!-- /snippet -->

A figure is inline, on one line: `<!-- figure: bench.plan_seconds -->` 41.2 s `<!-- /figure -->` (without the
backquotes). The kinds: snippet (snippets.py), figure (figures.py), diagram (diagrams.py), table (tables.py).
Whatever is between the markers belongs to the generator; everything else is written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tbyte.core.errors import Refused

BLOCK_KINDS = ("snippet", "diagram", "table")
INLINE_KINDS = ("figure",)
BLOCK = re.compile(r"^<!-- (?P<kind>snippet|diagram|table): (?P<spec>[^\n]*?) -->\n(?P<body>.*?)^<!-- /(?P=kind) -->$",
                   re.M | re.S)
INLINE = re.compile(r"<!-- (?P<kind>figure): (?P<spec>[^\n]*?) -->(?P<body>[^\n]*?)<!-- /(?P=kind) -->")
ANY_BEGIN = re.compile(r"<!-- (?P<kind>snippet|diagram|table|figure): ")


@dataclass(frozen=True)
class Marker:
    kind: str
    spec: str
    line: int  # 1-based line of the begin marker


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def markers(text: str, where: str) -> list[Marker]:
    """Every marker of a document; a begin marker without its end is refused with its line."""
    found, covered = [], []
    for pattern in (BLOCK, INLINE):
        for match in pattern.finditer(text):
            found.append((match.start(), Marker(match["kind"], match["spec"].strip(), _line(text, match.start()))))
            covered.append((match.start(), match.end()))
    for begin in ANY_BEGIN.finditer(text):
        if not any(start <= begin.start() < end for start, end in covered):
            kind = begin["kind"]
            layout = "on one line" if kind in INLINE_KINDS else "each on a line of its own"
            raise Refused(f"{where}:{_line(text, begin.start())}: a {kind} marker without its <!-- /{kind} --> "
                          f"({layout})")
    return [marker for _, marker in sorted(found, key=lambda item: item[0])]


def expand(text: str, expanders: dict[str, Callable[[str, int], str]], where: str) -> str:
    """The document with every region filled in by `expanders[kind](spec, line)`."""
    markers(text, where)  # refuses unclosed markers first

    def block(match: re.Match) -> str:
        content = expanders[match["kind"]](match["spec"].strip(), _line(text, match.start())).strip("\n")
        return f"<!-- {match['kind']}: {match['spec'].strip()} -->\n{content}\n<!-- /{match['kind']} -->"

    blocks_done = BLOCK.sub(block, text)

    def inline(match: re.Match) -> str:
        line = _line(blocks_done, match.start())
        content = expanders[match["kind"]](match["spec"].strip(), line)
        if "\n" in content:
            raise Refused(f"{where}:{line}: a {match['kind']} must fit on one line")
        return f"<!-- {match['kind']}: {match['spec'].strip()} -->{content}<!-- /{match['kind']} -->"

    return INLINE.sub(inline, blocks_done)
