"""The generators' checks fail when they should: a stale snippet, a broken link or anchor, an unclosed marker, an
untraceable figure, a quote of nothing; and the same inputs give the same bytes."""

import json

import pytest

from tbyte.core import paths
from tbyte.core.errors import Refused
from tbyte.docs import build, cicd, deck, diagrams, links, markers, measure, snippets
from tbyte.docs.figures import Figures
from tbyte.docs.figures import expand as figure_text


def expand_snippets(document, text):
    document.write_text(text)
    return markers.expand(text, {"snippet": lambda spec, line: snippets.expand(spec, document, "t")}, "t")


def test_a_stale_snippet_is_rewritten_from_its_source(tmp_path):
    document = tmp_path / "doc.md"
    stale = "<!-- snippet: modules/vpc/main.tf block=resource \"aws_internet_gateway\" \"this\" -->\n" \
            "```hcl\nresource \"aws_internet_gateway\" \"old\" {}\n```\n<!-- /snippet -->\n"
    current = expand_snippets(document, stale)
    assert current != stale
    assert 'resource "aws_internet_gateway" "this" {' in current
    assert "modules/vpc/main.tf#L" in current
    assert expand_snippets(document, current) == current  # expanding again changes nothing


@pytest.mark.parametrize(("spec", "message"), [
    ("modules/vpc/main.tf block=resource \"aws_vpc\" \"nope\"", "no HCL block(s)"),
    ("modules/vpc/main.tf#L1-L99999", "lines; L1-L99999 is not among them"),
    ("helm/releases/prod.yaml key=releases.nope", "no YAML key"),
    ("helm/releases/prod.yaml key=releases..api", "is not a YAML key path"),
    ("tbyte/infra/plans.py indented=def no_such_function", "no line(s) contain"),
    ("../outside.txt#L1-L2", "is not a file of the repository"),
    ("modules/vpc/main.tf lines=1", "write `path#L10-L30`"),
])
def test_a_snippet_that_names_nothing_is_refused(spec, message):
    with pytest.raises(Refused, match=message.replace("(", r"\(").replace(")", r"\)")):
        snippets.resolve(spec, "t")


def document_sources(figures: dict | None = None) -> build.Sources:
    return build.Sources(Figures(figures or {"sources": {}, "figures": {}}), {}, {}, {})


def test_a_document_whose_snippet_anchor_is_gone_fails_with_one_line_naming_it(tmp_path):
    document = tmp_path / "doc.md"
    document.write_text("intro\n\n<!-- snippet: modules/vpc/main.tf block=resource \"aws_vpc\" \"gone\" -->\n"
                        "<!-- /snippet -->\n")
    with pytest.raises(Refused) as refused:
        build.expand_document(document, document_sources())
    message = str(refused.value)
    assert message.endswith(':3: modules/vpc/main.tf: no HCL block(s) `resource "aws_vpc" "gone"`')
    assert "\n" not in message


def test_a_document_quoting_a_figure_missing_from_figures_json_fails(tmp_path):
    document = tmp_path / "doc.md"
    document.write_text("It took <!-- figure: up.seconds -->41 s<!-- /figure -->.\n")
    measured = {"sources": {"up": {"command": "invoke up", "measured_at": "2026-01-01T00:00Z"}},
                "figures": {"up.seconds": {"value": 41.0, "unit": "s", "source": "up"}}}
    assert "41.0 s" in build.expand_document(document, document_sources(measured))
    with pytest.raises(Refused, match=r":1: no figure 'up.seconds' in .*run `invoke docs.figures`"):
        build.expand_document(document, document_sources())


def test_the_tests_source_counts_the_suite_and_a_drill_fails_if_any_of_its_cases_failed():
    node_ids = ["tests/helm/test_a.py::test_x", "tests/helm/test_a.py::test_y[p]", "tests/state/test_b.py::test_z"]
    counted = measure.collected_figures(node_ids, slow=1)
    assert (counted["tests.total"]["value"], counted["tests.slow"]["value"]) == (3, 1)
    assert (counted["tests.in.helm"]["value"], counted["tests.in.state"]["value"]) == (2, 1)
    path, function, _ = measure.DRILLS["stopped_apply"]
    classname = path.removesuffix(".py").replace("/", ".")
    cases = [{"classname": classname, "name": f"{function}[sigint]@state-locks", "outcome": "passed", "seconds": 2.0},
             {"classname": classname, "name": f"{function}[sigterm]", "outcome": "failed", "seconds": 3.0},
             {"classname": classname, "name": f"{function}_not_this_one", "outcome": "passed", "seconds": 9.0}]
    drills = measure.drill_figures(cases)
    assert drills["drill.stopped_apply"]["value"] == "failed"
    assert drills["drill.stopped_apply.seconds"]["value"] == 5.0
    assert (drills["tests.drills"]["value"], drills["tests.drills_passed"]["value"]) == (1, 0)


def test_snippets_quote_hcl_blocks_yaml_keys_and_indented_blocks_with_their_comments():
    block = snippets.resolve('modules/eks/main.tf block=resource "aws_eks_cluster" "this" > vpc_config', "t")
    assert block.text.lstrip().startswith("vpc_config {") and block.text.rstrip().endswith("}")
    key = snippets.resolve("helm/releases/prod.yaml key=releases.api.externalSecret", "t")
    assert key.text.lstrip().startswith("# The database credentials") and "remoteKey:" in key.text
    step = snippets.resolve(".github/workflows/application.yml key=jobs.build.steps[1]", "t")
    assert step.text.lstrip().startswith("- name: Build (OCI archive)")
    function = snippets.resolve("tbyte/infra/plans.py indented=def stale_reason", "t")
    assert function.text.startswith("def stale_reason") and function.text.rstrip().endswith("return None")
    lines = (paths.ROOT / "tbyte/infra/plans.py").read_text().splitlines()
    assert function.text.splitlines() == lines[function.start - 1:function.end]


def test_an_unclosed_marker_is_refused_with_its_line():
    with pytest.raises(Refused, match=r"t:3: a snippet marker without its"):
        markers.markers("text\n\n<!-- snippet: a#L1-L2 -->\nno end\n", "t")
    with pytest.raises(Refused, match=r"t:1: a figure marker without its"):
        markers.markers("<!-- figure: up.seconds -->\n<!-- /figure -->\n", "t")


def test_broken_links_and_anchors_are_found(tmp_path):
    (tmp_path / "other.md").write_text("# Title\n\n## A heading (`with code`)\n\n## A heading (`with code`)\n")
    (tmp_path / "code.txt").write_text("one\ntwo\n")
    document = tmp_path / "doc.md"
    document.write_text("[ok](other.md#a-heading-with-code) [ok](other.md#a-heading-with-code-1) [ok](code.txt#L1-L2)\n"
                        "[missing](nothere.md) [anchor](other.md#no-such-heading) [lines](code.txt#L2-L9)\n"
                        "[self](#title) ![image](missing.png) [web](https://example.com/x)\n"
                        "```\n[in code](ignored.md)\n```\n")
    found = {(problem.line, problem.target) for problem in links.check(document)}
    assert found == {(2, "nothere.md"), (2, "other.md#no-such-heading"), (2, "code.txt#L2-L9"), (3, "#title"),
                     (3, "missing.png")}


def test_an_untraceable_figure_is_reported_and_an_unknown_one_refused():
    figures = Figures({"sources": {"bench": {"command": "invoke bench --json", "measured_at": "2026-01-01T00:00Z",
                                             "load_average": [1.0, 1.0, 1.0], "cpus": 2}},
                       "figures": {"bench.plan_seconds": {"value": 41.25, "unit": "s", "source": "bench"},
                                   "made.up": {"value": 3, "unit": "count", "source": "hand"}}})
    assert figures.problems() == ["figure made.up: its source 'hand' is not in sources"]
    assert figure_text("bench.plan_seconds", figures, "t") == "41.2 s (load average 1.0 on 2 CPUs)"
    assert figure_text("bench.plan_seconds value", figures, "t") == "41.2 s"
    assert figure_text("bench.plan_seconds command", figures, "t") == "`invoke bench --json`"
    with pytest.raises(Refused, match="no figure 'bench.nope'"):
        figure_text("bench.nope", figures, "t")
    with pytest.raises(Refused, match="unknown option"):
        figure_text("bench.plan_seconds loud", figures, "t")


def test_diagrams_refuse_edges_to_nothing_and_write_both_notations():
    model = diagrams.Diagram("d", "a diagram", nodes=[diagrams.Node("a", 'say "hi"\nthere')],
                             edges=[diagrams.Edge("a", "b")])
    with pytest.raises(Refused, match="edges to unknown nodes: b"):
        diagrams.mermaid(model)
    model.nodes.append(diagrams.Node("b", "b", "data", "cylinder"))
    assert 'a["say #quot;hi#quot;<br/>there"]' in diagrams.mermaid(model)
    assert 'a [label="say \\"hi\\"\\nthere"' in diagrams.dot(model)


def test_the_cicd_diagram_follows_the_workflows():
    model = cicd.diagram()
    labels = {node.id: node.label for node in model.all_nodes()}
    assert "environment: prod" in labels["infrastructure_deploy_apply_prod"]
    assert "deploy role (OIDC)" in labels["infrastructure_deploy_apply_prod"]
    assert "plan role (OIDC)" in labels["infrastructure_deploy_plan_prod"]
    edges = {(edge.source, edge.target) for edge in model.edges}
    assert ("infrastructure_deploy_apply_stage", "infrastructure_deploy_plan_prod") in edges
    assert ("infrastructure_deploy_plan_dev", "infrastructure_deploy_plan_stage") not in edges  # implied: reduced


def test_the_same_inputs_give_the_same_bytes():
    model = diagrams.Diagram("d", "a diagram", nodes=[diagrams.Node("a", "one"), diagrams.Node("b", "two")],
                             edges=[diagrams.Edge("a", "b", "to")])
    svg = diagrams.svg(diagrams.dot(model))
    assert svg == diagrams.svg(diagrams.dot(model)) and "graphviz version" in svg
    image = diagrams.png(svg)
    assert image == diagrams.png(svg) and image.startswith(b"\x89PNG")
    named = set(deck.PLACEHOLDER.findall(deck.DECK_SOURCE.read_text()))
    figures = Figures({"sources": {"s": {"command": "invoke x", "measured_at": "2026-01-01T00:00Z"}},
                       "figures": {name: {"value": 1, "unit": "count", "source": "s"}
                                   for kind, name in named if kind == "figure"}})
    images = {name: image for name in ("aws", "kubernetes", "cicd")}
    first = deck.build(figures, images, "2026-01-01")
    assert first == deck.build(figures, images, "2026-01-01")
    assert [slide["pictures"] for slide in deck.read_back(first) if slide["pictures"]] == [
        ["diagram: aws"], ["diagram: kubernetes"], ["diagram: cicd"]]


def test_a_deck_placeholder_of_nothing_is_refused():
    figures = Figures(json.loads('{"sources": {}, "figures": {}}'))
    with pytest.raises(Refused, match="no figure 'tests.total'"):
        deck.fill("{figure tests.total} tests", figures, "slide 1")
    with pytest.raises(Refused, match="has no local 'nope'"):
        deck.fill("{env prod.nope}", figures, "slide 1")
