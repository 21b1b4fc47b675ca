"""Every alert carries a severity and a runbook_url that points at an anchor of docs/runbooks/anchors.yaml, the one
list of runbook anchors; every anchor listed there is used, and is a heading of one of the doctor's four guides."""

from __future__ import annotations

import yaml

from tbyte.core import paths
from tbyte.doctor.catalogue import anchors
from tbyte.gitops.observability import rule_files
from tests.observability.conftest import alerts

RUNBOOKS = paths.ROOT / "docs" / "runbooks"
ANCHORS = RUNBOOKS / "anchors.yaml"
GUIDES = {"kubernetes.md", "aws.md", "terraform.md", "latency.md"}
SEVERITIES = {"critical", "warning", "info"}


def anchor_urls() -> set[str]:
    document = yaml.safe_load(ANCHORS.read_text())
    return {f"{document['base']}{guide}#{anchor}" for guide, anchors in document["anchors"].items()
            for anchor in anchors}


def every_alert(chart_rules) -> list[tuple[str, dict]]:
    found = [(path.name, rule) for path in rule_files() for rule in alerts(yaml.safe_load(path.read_text()))]
    found += [(f"{env}/{release}", rule) for (env, release), spec in chart_rules.items() for rule in alerts(spec)]
    return found


def test_the_anchor_list_points_into_docs_runbooks():
    urls = anchor_urls()
    assert len(urls) >= 15
    assert all("/docs/runbooks/" in url and ".md#" in url for url in urls)


def test_every_alert_has_a_severity_and_a_listed_runbook(chart_rules):
    urls = anchor_urls()
    for where, rule in every_alert(chart_rules):
        assert rule["labels"]["severity"] in SEVERITIES, (where, rule["alert"])
        assert rule["annotations"]["runbook_url"] in urls, (where, rule["alert"], rule["annotations"]["runbook_url"])
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], (where, rule["alert"])


def test_every_listed_anchor_is_used(chart_rules):
    used = {rule["annotations"]["runbook_url"] for _, rule in every_alert(chart_rules)}
    assert anchor_urls() - used == set()


def test_every_runbook_url_resolves_to_a_heading_of_the_four_guides(chart_rules):
    base = yaml.safe_load(ANCHORS.read_text())["base"]
    for where, rule in every_alert(chart_rules):
        url = rule["annotations"]["runbook_url"]
        guide, _, anchor = url.removeprefix(base).partition("#")
        assert guide in GUIDES, (where, rule["alert"], url)
        assert anchor in anchors((RUNBOOKS / guide).read_text()), (where, rule["alert"], url)
