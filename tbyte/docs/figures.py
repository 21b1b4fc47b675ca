"""Figures: the numbers the document quotes, each produced by one of the repository's own commands.

docs/figures.json is written by `invoke docs.figures` (measure.py), which runs the commands, and read here by
`invoke docs.build`, which never runs a benchmark. Each source says the command it ran, when, how long it took
and the machine's load average around it; each figure names its source:

    {"sources": {"bench": {"command": "invoke bench --json", "measured_at": "...", "load_average": [..], ...}},
     "figures": {"bench.plan_seconds": {"value": 41.2, "unit": "s", "source": "bench", "label": "..."}}}

A figure marker (`<!-- figure: bench.plan_seconds -->`) shows the value with its unit; a timing also shows the
load average it was measured under, since the machine that measured it may have been busy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tbyte.core import paths
from tbyte.core.errors import Refused

FIGURES = paths.ROOT / "docs" / "figures.json"
UNITS = {"s": "s", "x": "×", "count": "", "percent": "%", "text": "", "MiB": "MiB"}
OPTIONS = ("value", "load", "date", "command", "label")


@dataclass(frozen=True)
class Figure:
    name: str
    value: object
    unit: str
    label: str
    source: str
    command: str
    measured_at: str
    load_average: tuple[float, ...]
    cpus: int

    @property
    def timing(self) -> bool:
        return self.unit == "s"

    def formatted(self) -> str:
        """The value with its unit: `41.2 s`, `3.4×`, `1,070`."""
        value = self.value
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            text = f"{value:,}"
        elif isinstance(value, float):
            text = f"{value:,.1f}" if self.unit in ("s", "percent", "MiB") else f"{value:,.2f}"
        else:
            text = str(value)
        unit = UNITS.get(self.unit, self.unit)
        if unit in ("", "%", "×"):
            return f"{text}{unit}"
        return f"{text} {unit}"

    @property
    def load(self) -> str:
        first = self.load_average[0] if self.load_average else None
        return f"load average {first:.1f} on {self.cpus} CPUs" if first is not None else "load not recorded"

    def shown(self, option: str = "") -> str:
        """What a marker shows: by default the value (a timing with its load); or one of OPTIONS."""
        if option == "value":
            return self.formatted()
        if option == "load":
            return self.load
        if option == "date":
            return self.measured_at[:10]
        if option == "command":
            return f"`{self.command}`"
        if option == "label":
            return self.label
        return f"{self.formatted()} ({self.load})" if self.timing else self.formatted()


class Figures:
    def __init__(self, document: dict, where: str = "docs/figures.json"):
        self.document = document
        self.where = where
        self.sources = document.get("sources", {})
        self.entries = document.get("figures", {})

    @classmethod
    def load(cls, path: Path = FIGURES) -> Figures:
        return _load(path, path.stat().st_mtime_ns if path.exists() else 0)

    def get(self, name: str, where: str) -> Figure:
        entry = self.entries.get(name)
        if entry is None:
            close = sorted(known for known in self.entries if known.split(".")[0] == name.split(".")[0])
            raise Refused(f"{where}: no figure {name!r} in {self.where}"
                          + (f"; figures of that source: {', '.join(close)}" if close else
                             "; run `invoke docs.figures` to measure it"))
        source = self.sources.get(entry.get("source"), {})
        return Figure(name, entry["value"], entry.get("unit", "count"), entry.get("label", name),
                      entry.get("source", ""), source.get("command", ""), source.get("measured_at", ""),
                      tuple(source.get("load_average", ())), int(source.get("cpus", 0)))

    def all(self) -> list[Figure]:
        return [self.get(name, self.where) for name in sorted(self.entries)]

    def problems(self) -> list[str]:
        """What makes a figure untraceable: no source, or a source that names no command or date."""
        found = []
        for name, entry in sorted(self.entries.items()):
            source = self.sources.get(entry.get("source"))
            if source is None:
                found.append(f"figure {name}: its source {entry.get('source')!r} is not in sources")
            elif not source.get("command") or not source.get("measured_at"):
                found.append(f"figure {name}: source {entry['source']} names no command or date")
            if "value" not in entry:
                found.append(f"figure {name}: no value")
        return found


@cache
def _load(path: Path, _mtime: int) -> Figures:
    if not path.exists():
        return Figures({}, paths.shown(path))
    try:
        return Figures(json.loads(path.read_text()), paths.shown(path))
    except json.JSONDecodeError as error:
        raise Refused(f"{paths.shown(path)} is not JSON: {error}") from None


def expand(spec: str, figures: Figures, where: str) -> str:
    """A figure marker's text: `name` or `name option` (value, load, date, command, label)."""
    name, _, option = spec.partition(" ")
    if option and option not in OPTIONS:
        raise Refused(f"{where}: figure {name}: unknown option {option!r}; the options: {', '.join(OPTIONS)}")
    return figures.get(name, where).shown(option)
