"""Relative links of the Markdown: every target exists, every anchor is a heading (or the line range) there.

Anchors are computed the way the code host does: the heading's text, lower-cased, punctuation other than `-` and
`_` removed, spaces made `-`, a repeated heading suffixed `-1`, `-2`... A `#L10-L30` anchor on a file that is
not Markdown must name lines the file has. Links to other sites are not followed (the checks run offline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tbyte.core import paths

LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?P<target><[^>]+>|[^()\s]+(?:\([^()]*\)[^()\s]*)*)"
                  r"(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"(?P<name>[^\"]+)\"")
LINE_ANCHOR = re.compile(r"^L(?P<start>\d+)(?:-L(?P<end>\d+))?$")


@dataclass(frozen=True)
class BrokenLink:
    document: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: {self.target}: {self.reason}"


def _outside_code(text: str, inline_code: bool = False):
    """(line number, line) of the lines outside fenced code blocks, inline code removed unless `inline_code`."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line if inline_code else re.sub(r"`[^`]*`", "", line)


def slug(heading: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The anchors of a Markdown file: its headings' slugs (numbered when repeated) and <a name/id> anchors."""
    seen: dict[str, int] = {}
    found = set()
    text = path.read_text()
    for _, line in _outside_code(text, inline_code=True):
        if heading := HEADING.match(line):
            base = slug(heading["text"])
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    found.update(match["name"] for match in HTML_ANCHOR.finditer(text))
    return frozenset(found)


def check(document: Path) -> list[BrokenLink]:
    """The broken relative links and anchors of one Markdown document."""
    anchors.cache_clear()
    broken = []
    shown = paths.shown(document)
    for number, line in _outside_code(document.read_text()):
        for match in LINK.finditer(line):
            target = match["target"].strip("<>")
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:...
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (document.parent / file_part).resolve() if file_part else document
            if file_part and not resolved.exists():
                broken.append(BrokenLink(shown, number, target, "no such file or folder"))
                continue
            if not anchor:
                continue
            if resolved.suffix == ".md":
                if anchor not in anchors(resolved):
                    broken.append(BrokenLink(shown, number, target, f"no heading #{anchor} in {paths.shown(resolved)}"))
            elif lines := LINE_ANCHOR.match(anchor):
                count = len(resolved.read_text().splitlines()) if resolved.is_file() else 0
                start, end = int(lines["start"]), int(lines["end"] or lines["start"])
                if not 1 <= start <= end <= count:
                    broken.append(BrokenLink(shown, number, target, f"{paths.shown(resolved)} has {count} lines"))
            else:
                broken.append(BrokenLink(shown, number, target, "an anchor on a file that is not Markdown"))
    return broken


def documents() -> list[Path]:
    """The Markdown whose links are checked: the README and everything under docs/."""
    return [paths.ROOT / "README.md", *sorted((paths.ROOT / "docs").rglob("*.md"))]
