"""The technical document (docs/index.md, docs/sections/) and the deck (docs/presentation.pptx), generated from
the repository so that they never drift: snippets quote the code, figures come from the repository's own commands,
diagrams are drawn from plans, rendered releases and workflows. `invoke docs.build` regenerates all of it."""
