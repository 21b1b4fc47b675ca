"""The deck, docs/presentation.pptx (python-pptx), from docs/deck.yaml, the figures and the diagrams.

docs/deck.yaml holds each slide's title, its points and the diagram it shows; a point may quote a figure,
`{figure bench.plan_seconds}`, or a local of an env.hcl, `{env prod.az_count}`, filled in from the same sources as
the document. The file is the same bytes for the same inputs: fixed document properties, and a zip whose entries
carry a fixed date (python-pptx would stamp the time of writing).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

import yaml

from tbyte.core import paths
from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.docs.figures import Figures

DECK_SOURCE = paths.ROOT / "docs" / "deck.yaml"
DECK = paths.ROOT / "docs" / "presentation.pptx"
PLACEHOLDER = re.compile(r"\{(?P<kind>figure|env) (?P<name>[^{}\s]+)\}")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
MIN_SLIDES, MAX_SLIDES = 5, 8

# 16:9, in inches; colours of the title bar and the text.
WIDTH, HEIGHT = 13.333, 7.5
INK, ACCENT, MUTED = "202124", "1A73E8", "5F6368"


@dataclass
class Slide:
    title: str
    points: list[str]
    diagram: str | None = None
    notes: str = ""
    subtitle: str = ""


def fill(text: str, figures: Figures, where: str) -> str:
    """A point with its `{figure NAME}` and `{env ENV.KEY}` placeholders filled in."""

    def value(match: re.Match) -> str:
        if match["kind"] == "figure":
            return figures.get(match["name"], where).shown()
        env_name, _, key = match["name"].partition(".")
        values = Environment.resolve(env_name, argument=f"{where}: {{env ...}}").values
        if key not in values:
            raise Refused(f"{where}: terragrunt/{env_name}/env.hcl has no local {key!r}")
        found = values[key]
        return ", ".join(map(str, found)) if isinstance(found, list) else str(found)

    return PLACEHOLDER.sub(value, text)


def slides(figures: Figures) -> list[Slide]:
    """The slides of docs/deck.yaml, placeholders filled in; 5 to 8 of them, each with a title and points."""
    document = yaml.safe_load(DECK_SOURCE.read_text()) or {}
    found = []
    for number, entry in enumerate(document.get("slides", []), 1):
        where = f"docs/deck.yaml slide {number}"
        if not entry.get("title") or not entry.get("points"):
            raise Refused(f"{where}: a slide needs a title and points")
        found.append(Slide(fill(entry["title"], figures, where), [fill(point, figures, where) for point in
                                                                  entry["points"]],
                           entry.get("diagram"), fill(entry.get("notes", ""), figures, where),
                           fill(entry.get("subtitle", ""), figures, where)))
    if not MIN_SLIDES <= len(found) <= MAX_SLIDES:
        raise Refused(f"docs/deck.yaml has {len(found)} slides; the deck has {MIN_SLIDES} to {MAX_SLIDES}")
    return found


def _text(frame, lines: list[str], size: int, color: str = INK, bold: bool = False, bullet: bool = False) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = ("• " if bullet else "") + line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = RGBColor.from_string(color)
        paragraph.space_after = Pt(10 if bullet else 0)


def _picture(slide, image: bytes, left: float, top: float, width: float, height: float):
    """The image scaled to fit the box, centred in it."""
    from PIL import Image
    from pptx.util import Inches

    pixels = Image.open(io.BytesIO(image)).size
    scale = min(width / pixels[0], height / pixels[1])
    shown = (pixels[0] * scale, pixels[1] * scale)
    return slide.shapes.add_picture(io.BytesIO(image), Inches(left + (width - shown[0]) / 2),
                                    Inches(top + (height - shown[1]) / 2), Inches(shown[0]), Inches(shown[1]))


def build(figures: Figures, images: dict[str, bytes], measured: str) -> bytes:
    """The deck's bytes: one slide per entry of docs/deck.yaml, diagrams from `images` ({name: PNG})."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    layout = deck.slide_layouts[5]  # Title Only: a real title placeholder, the rest is placed here
    entries = slides(figures)
    for number, entry in enumerate(entries, 1):
        slide = deck.slides.add_slide(layout)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.18), Inches(HEIGHT))
        bar.fill.solid()
        bar.fill.fore_color.rgb = RGBColor.from_string(ACCENT)
        bar.line.fill.background()
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.5), Inches(0.3), Inches(WIDTH - 1), Inches(0.9)
        title.text_frame.text = entry.title
        paragraph = title.text_frame.paragraphs[0]
        paragraph.alignment = 1  # left
        paragraph.runs[0].font.size = Pt(30)
        paragraph.runs[0].font.bold = True
        paragraph.runs[0].font.color.rgb = RGBColor.from_string(INK)
        top = 1.25
        if entry.subtitle:
            box = slide.shapes.add_textbox(Inches(0.5), Inches(1.1), Inches(WIDTH - 1), Inches(0.5))
            _text(box.text_frame, [entry.subtitle], 16, MUTED)
            top = 1.7
        if entry.diagram:
            if entry.diagram not in images:
                raise Refused(f"docs/deck.yaml: slide {number} shows diagram {entry.diagram!r}; the diagrams are "
                              f"{', '.join(sorted(images))}")
            text_width = 4.3
            picture = _picture(slide, images[entry.diagram], 0.5 + text_width + 0.15, top - 0.2,
                               WIDTH - text_width - 0.8, HEIGHT - top - 0.4)
            picture.name = f"diagram: {entry.diagram}"
        else:
            text_width = WIDTH - 1.0
        body = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(text_width), Inches(HEIGHT - top - 0.6))
        body.name = "content"
        _text(body.text_frame, entry.points, 15 if entry.diagram else 19, bullet=True)
        footer = slide.shapes.add_textbox(Inches(0.5), Inches(HEIGHT - 0.45), Inches(WIDTH - 1), Inches(0.3))
        _text(footer.text_frame, [f"TByte Platform · {number}/{len(entries)} · generated by "
                                  f"`invoke docs.deck` from the repository; figures measured {measured}"], 10, MUTED)
        if entry.notes:
            slide.notes_slide.notes_text_frame.text = entry.notes
    properties = deck.core_properties
    properties.title = "TByte Platform"
    properties.subject = "The platform's design, reliability and recommendations"
    properties.author = properties.last_modified_by = "invoke docs.deck"
    properties.revision = 1
    properties.created = properties.modified = datetime(2020, 1, 1)
    properties.last_printed = datetime(2020, 1, 1)
    raw = io.BytesIO()
    deck.save(raw)
    return normalized_zip(raw.getvalue())


def normalized_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE, so that the same deck is the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def read_back(data: bytes) -> list[dict]:
    """What a reader finds in a deck: per slide its title, its text and the names of its pictures."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    deck = Presentation(io.BytesIO(data))
    found = []
    for slide in deck.slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.name == "content"]
        pictures = [shape.name for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        found.append({"title": title, "text": "\n".join(texts), "pictures": pictures})
    return found
