"""Snippets: code quoted from the repository by reference, never pasted by hand.

A snippet marker names a file of the repository and what to quote from it:

    path#L10-L30                      lines 10 to 30
    path block=resource "aws_x" "y"   an HCL block, found by its header through python-hcl2's parse tree
                                      (a nested block: `resource "aws_x" "y" > vpc_config`)
    path key=jobs.plan-prod           a YAML key and its value, found through PyYAML's node marks (`a.b[2].c`)
    path indented=def stale_reason    the one line containing the text, the lines below it indented deeper and
                                      a closing bracket at its depth (a Python function, a block of a Helm
                                      template, an HCL map of a locals block); in double quotes:
                                      the line starts with it, leading spaces included

A block or a key brings the comment lines right above it (they say why). The quote is dedented, fenced with
the file's language, and headed by a link to the exact lines of the source; a test re-expands every snippet
and fails when the document no longer matches its source.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused

LANGUAGES = {".tf": "hcl", ".hcl": "hcl", ".tftpl": "hcl", ".yaml": "yaml", ".yml": "yaml", ".py": "python",
             ".sh": "bash", ".json": "json", ".go": "go", ".md": "markdown", ".toml": "toml", ".tpl": "gotemplate",
             ".mod": "go"}
LINES = re.compile(r"^(?P<path>[^#\s]+)#L(?P<start>\d+)-L(?P<end>\d+)$")
SELECTOR = re.compile(r"^(?P<path>\S+) (?P<how>block|key|indented)=(?P<what>.+)$")
KEY_PART = re.compile(r"(?P<name>[^.\[\]]+)|\[(?P<index>\d+)\]")
KEY_PATH = re.compile(r"[^.\[\]\s]+(\.[^.\[\]\s]+|\[\d+\])*")


@dataclass(frozen=True)
class Snippet:
    path: str  # repository-relative
    start: int  # 1-based, inclusive
    end: int
    text: str

    @property
    def language(self) -> str:
        return LANGUAGES.get(Path(self.path).suffix, "text")


def source_file(path: str, where: str) -> Path:
    """A file of the repository, by its repository-relative path; nothing outside it."""
    candidate = (paths.ROOT / path).resolve()
    if path.startswith("/") or paths.ROOT.resolve() not in candidate.parents or not candidate.is_file():
        raise Refused(f"{where}: snippet source {path!r} is not a file of the repository")
    return candidate


def resolve(spec: str, where: str) -> Snippet:
    """The lines a snippet marker names; a spec that names nothing is refused with the document's line."""
    if match := LINES.match(spec):
        lines = source_file(match["path"], where).read_text().splitlines()
        start, end = int(match["start"]), int(match["end"])
        if not 1 <= start <= end <= len(lines):
            raise Refused(f"{where}: {match['path']} has {len(lines)} lines; L{start}-L{end} is not among them")
        return Snippet(match["path"], start, end, "\n".join(lines[start - 1:end]))
    if match := SELECTOR.match(spec):
        text = source_file(match["path"], where).read_text()
        finder = {"block": hcl_block, "key": yaml_key, "indented": indented_block}[match["how"]]
        what = match["what"].strip()
        if match["how"] == "indented" and len(what) > 1 and what[0] == what[-1] == '"':
            what = "^" + what[1:-1]  # quoted: the line starts with it, leading spaces included
        start, end = finder(text, what, f"{where}: {match['path']}")
        start = with_comments_above(text.splitlines(), start)
        return Snippet(match["path"], start, end, "\n".join(text.splitlines()[start - 1:end]))
    raise Refused(f"{where}: snippet {spec!r}: write `path#L10-L30`, `path block=<HCL block header>`, "
                  "`path key=<yaml.key.path>` or `path indented=<text of one line>`")


def with_comments_above(lines: list[str], start: int) -> int:
    """The first line of the comment lines right above `start` (1-based), or `start`."""
    while start > 1 and lines[start - 2].strip().startswith(("#", "//")):
        start -= 1
    return start


def _header(line: str) -> str:
    return " ".join(line.split("{", 1)[0].split())


def hcl_block(text: str, header: str, where: str) -> tuple[int, int]:
    """The lines (1-based) of the HCL block whose header is `header` (`a > b` for b nested in a)."""
    import hcl2

    try:
        tree = hcl2.parses_to_tree(text)
    except Exception as error:  # python-hcl2 raises lark's many exception types
        raise Refused(f"{where}: not HCL that python-hcl2 reads: {str(error).splitlines()[0]}") from None
    lines = text.splitlines()
    blocks = sorted({(node.meta.line, node.meta.end_line) for node in tree.iter_subtrees() if node.data == "block"})
    low, high = 1, len(lines)
    for part in (" ".join(piece.split()) for piece in header.split(" > ")):
        found = [(start, end) for start, end in blocks if low <= start and end <= high and (start, end) != (low, high)
                 and _header(lines[start - 1]) == part]
        if len(found) != 1:
            raise Refused(f"{where}: {'no' if not found else len(found)} HCL block(s) `{part}`"
                          + (f" inside lines {low}-{high}" if (low, high) != (1, len(lines)) else ""))
        low, high = found[0]
    return low, high


def yaml_key(text: str, path: str, where: str) -> tuple[int, int]:
    """The lines (1-based) of a YAML key and its value (`a.b[2].c`), trailing blank and comment lines left out."""
    import yaml

    if not KEY_PATH.fullmatch(path):
        raise Refused(f"{where}: {path!r} is not a YAML key path (like releases.api.canary or jobs.x.steps[2])")
    node = yaml.compose(text)
    key_line = None
    parts = list(KEY_PART.finditer(path))
    for part in parts:
        if part["name"] is not None:
            if not isinstance(node, yaml.MappingNode):
                raise Refused(f"{where}: {path}: {part['name']!r} is not under a mapping")
            matches = [(key, value) for key, value in node.value if key.value == part["name"]]
            if not matches:
                raise Refused(f"{where}: no YAML key {path!r} ({part['name']!r} is missing)")
            key, node = matches[0]
            key_line = key.start_mark.line
        else:
            if not isinstance(node, yaml.SequenceNode) or int(part["index"]) >= len(node.value):
                raise Refused(f"{where}: {path}: no item [{part['index']}]")
            node = node.value[int(part["index"])]
            key_line = node.start_mark.line
    if key_line is None:
        raise Refused(f"{where}: an empty YAML key path")
    lines = text.splitlines()
    mark = node.end_mark  # 0-based; a block value ends where the next key starts (column 0 or its indentation)
    ends_before_mark = mark.line >= len(lines) or not lines[mark.line][:mark.column].strip()
    end = min(mark.line if ends_before_mark else mark.line + 1, len(lines))
    while end > key_line + 1 and (not lines[end - 1].strip() or lines[end - 1].strip().startswith("#")):
        end -= 1
    return key_line + 1, end


def indented_block(text: str, needle: str, where: str) -> tuple[int, int]:
    """The lines (1-based) of the one line containing `needle`, the lines below it indented deeper and the closing
    bracket at its own depth (HCL's `}`)."""
    lines = text.splitlines()
    if needle.startswith("^"):
        found = [number for number, line in enumerate(lines, 1) if line.startswith(needle[1:])]
    else:
        found = [number for number, line in enumerate(lines, 1) if needle in line]
    if len(found) != 1:
        raise Refused(f"{where}: {'no' if not found else len(found)} line(s) contain {needle!r}; name one line")
    start = found[0]
    depth = len(lines[start - 1]) - len(lines[start - 1].lstrip())
    end = start
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= depth:
            if re.fullmatch(r"[}\])]+[,;]?", line.strip()):  # the block's closing bracket, at its depth
                end = number
            break
        if line.strip():
            end = number
    return start, end


def fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def expand(spec: str, document: Path, where: str) -> str:
    """The Markdown of a snippet in `document`: a link to the source lines, then the fenced quote."""
    snippet = resolve(spec, where)
    link = os.path.relpath(paths.ROOT / snippet.path, document.parent)
    lines = f"line {snippet.start}" if snippet.start == snippet.end else f"lines {snippet.start}–{snippet.end}"
    anchor = f"#L{snippet.start}" if snippet.start == snippet.end else f"#L{snippet.start}-L{snippet.end}"
    body = textwrap.dedent(snippet.text).rstrip()
    marks = fence(body)
    return f"[`{snippet.path}`, {lines}]({link}{anchor})\n\n{marks}{snippet.language}\n{body}\n{marks}"
