"""`invoke docs.build | docs.deck | docs.figures | docs.check`: the technical document and the deck, generated."""

from __future__ import annotations

from tbyte.core import paths
from tbyte.core.console import say, show
from tbyte.core.errors import Refused
from tbyte.core.task import task


@task(help={"check": "change nothing: list the generated files that are not current and exit 1 if any"})
def build(c, check=False):
    """Regenerate docs/: the diagrams (DOT, SVG, PNG), the snippets, figures and tables of docs/index.md and
    docs/sections/, and docs/presentation.pptx. Runs nothing but the repository's files and pinned tools."""
    from tbyte.docs import build as generator
    from tbyte.docs import links

    changed = generator.build(check=check)
    broken = [problem for document in links.documents() for problem in links.check(document)]
    for path in changed:
        show(f"{'not current' if check else 'written'}: {paths.shown(path)}")
    if broken:
        raise Refused("broken links:\n" + "\n".join(f"  {problem}" for problem in broken))
    if check and changed:
        raise Refused(f"{len(changed)} generated file(s) of docs/ are not current: run `invoke docs.build`")
    say(f"[green]✓[/] docs/ is current ({len(changed)} file(s) {'to write' if check else 'written'})")


@task
def deck(c):
    """Write docs/presentation.pptx (5 to 8 slides from docs/deck.yaml, the figures and the diagrams)."""
    from tbyte.docs import build as generator
    from tbyte.docs import deck as slides

    found = generator.generate()
    generator.write(slides.DECK, found[slides.DECK])
    for path in (generator.DIAGRAMS / f"{name}.png" for name in generator.DIAGRAM_NAMES):
        if path in found and (not path.exists() or path.read_bytes() != found[path]):
            generator.write(path, found[path])
    read = slides.read_back(found[slides.DECK])
    say(f"[green]✓[/] {paths.shown(slides.DECK)}: {len(read)} slides")


@task(help={"only": "measure only these sources, comma-separated: platform (invoke up, plan, states, scan, drift), "
                    "bench (invoke bench), tests (the whole pytest suite); default: all three",
            "no-build": "do not run docs.build afterwards"})
def figures(c, only=None, no_build=False):
    """Measure the figures of docs/figures.json by running the repository's commands (tens of minutes: `invoke
    up` on private ports, `invoke bench`, the whole test suite), then regenerate docs/."""
    from tbyte.docs import build as generator
    from tbyte.docs import measure

    chosen = [name.strip() for name in (only or ",".join(measure.SOURCES)).split(",") if name.strip()]
    unknown = [name for name in chosen if name not in measure.SOURCES]
    if unknown or not chosen:
        raise Refused(f"--only: unknown source(s) {', '.join(unknown) or '(none)'}; the sources: "
                      f"{', '.join(measure.SOURCES)}")
    def rebuild():
        for path in generator.build():
            show(f"written: {paths.shown(path)}")

    measure.measure(chosen, after_each=None if no_build else rebuild)
