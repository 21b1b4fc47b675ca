"""The technical document and the deck are what the repository says now: every generated file rebuilt in memory
is the same as the committed one, every link and anchor resolves, every figure names the command that made it,
and the deck reads back with its slides and diagrams."""

import pytest

from tbyte.core import paths
from tbyte.docs import build, deck, links, markers, tables
from tbyte.docs.figures import Figures

pytestmark = pytest.mark.xdist_group("docs")  # one worker builds everything once


@pytest.fixture(scope="module")
def generated() -> dict:
    return build.generate()


def generated_paths():
    names = [f"docs/diagrams/{name}.{suffix}" for name in build.DIAGRAM_NAMES for suffix in ("dot", "svg", "png")]
    names += [paths.shown(document) for document in build.documents()]
    return [*names, paths.shown(deck.DECK)]


@pytest.mark.parametrize("name", generated_paths())
def test_the_committed_file_is_what_docs_build_makes_now(generated, name):
    path = paths.ROOT / name
    assert path in generated, f"{name} is not generated any more"
    assert path.exists(), f"{name} is missing: run `invoke docs.build`"
    if path.suffix == ".md" and path.read_bytes() != generated[path]:
        committed, current = path.read_text().splitlines(), generated[path].decode().splitlines()
        first = next((i for i, (a, b) in enumerate(zip(committed, current, strict=False)) if a != b),
                     min(len(committed), len(current)))
        pytest.fail(f"{name} is not current from line {first + 1} (a snippet's source, a figure or a table "
                    f"changed):\n  committed: {committed[first:first + 1]}\n  now:       {current[first:first + 1]}\n"
                    "run `invoke docs.build`")
    assert path.read_bytes() == generated[path], f"{name} is not current: run `invoke docs.build`"


def test_every_generated_file_is_covered(generated):
    assert sorted(paths.shown(path) for path in generated) == sorted(generated_paths())


@pytest.mark.parametrize("document", links.documents(), ids=paths.shown)
def test_relative_links_and_anchors_resolve(document):
    assert [str(problem) for problem in links.check(document)] == []


def test_every_figure_names_its_command_date_and_load():
    figures = Figures.load()
    assert figures.entries, "docs/figures.json has no figures: run `invoke docs.figures`"
    assert figures.problems() == []
    for name, source in figures.sources.items():
        assert source.get("command", "").startswith(("invoke ", ".venv/bin/pytest")), (name, source.get("command"))
        assert source.get("measured_at"), name
        assert len(source.get("load_average", [])) == 3, name
        assert source.get("cpus"), name


def test_every_figure_marker_names_a_measured_figure():
    figures = Figures.load()
    for document in build.documents():
        for marker in markers.markers(document.read_text(), paths.shown(document)):
            if marker.kind == "figure":
                name = marker.spec.split()[0]
                assert name in figures.entries, f"{paths.shown(document)}:{marker.line}: figure {name}"


def test_eleven_sections_each_problem_approach_solution_result_with_code_and_figures():
    found = tables.sections(build.SECTIONS)
    assert [section["id"] for section in found] == ["A1", "A2", "B1", "B2", "B3", "C1", "C2", "D1", "D2", "E1", "E2"]
    for section in found:
        assert section["parts"] == list(tables.SECTION_PARTS), section["id"]
        assert section["snippets"] >= 1, f"{section['id']} quotes no code"
        assert section["figures"] >= 1, f"{section['id']} cites no measured figure"


def test_the_front_page_links_every_section_and_the_deck():
    text = (paths.ROOT / "docs" / "index.md").read_text()
    for section in tables.sections(build.SECTIONS):
        assert paths.shown(section["path"]).removeprefix("docs/") in text, section["id"]
    assert "(presentation.pptx)" in text
    for heading in ("## Executive summary", "## Document structure", "## Architecture overview",
                    "## Technology stack", "## Completion"):
        assert heading in text


def test_the_readme_points_at_the_document():
    readme = (paths.ROOT / "README.md").read_text()
    assert "(docs/index.md)" in readme and "invoke docs.build" in readme


def test_the_deck_reads_back_with_titles_content_and_the_diagrams():
    slides = deck.read_back(deck.DECK.read_bytes())
    assert 5 <= len(slides) <= 8
    for slide in slides:
        assert slide["title"].strip(), slide
        assert slide["text"].strip(), slide["title"]
    pictures = [name for slide in slides for name in slide["pictures"]]
    assert sorted(pictures) == sorted(f"diagram: {name}" for name in build.DIAGRAM_NAMES)
    text = "\n".join(slide["text"] for slide in slides)
    figures = Figures.load()
    for name in ("tests.total", "states.resources", "up.seconds"):
        assert figures.get(name, "test").shown() in text, name
