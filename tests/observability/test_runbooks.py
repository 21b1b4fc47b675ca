"""Every alert carries a severity and a runbook_url that points at an anchor of docs/runbooks/anchors.yaml, the one
list of runbook anchors; every anchor listed there is used."""

from __future__ import annotations

import yaml

from tbyte.core import paths
from tbyte.gitops.observability import rule_files
from tests.observability.conftest import alerts

ANCHORS = paths.ROOT / "docs" / "runbooks" / "anchors.yaml"
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
