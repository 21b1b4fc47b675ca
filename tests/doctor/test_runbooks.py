"""The guides of docs/runbooks/ and the doctor's catalogue in step: every finding code has its heading (the anchor
a finding prints), every code heading is a known code, and every drill's real output is recorded in its guide."""

from __future__ import annotations

import re

import pytest

from tbyte.core import paths
from tbyte.doctor.catalogue import GUIDES, RUNBOOKS, TITLES, anchors, guide, heading, runbook, slug
from tbyte.doctor.drills import record
from tbyte.doctor.drills.registry import drills

CODE_HEADING = re.compile(r"^### ([A-Z0-9]+?\d{3}) ", re.M)


def text(name: str) -> str:
    return (paths.ROOT / RUNBOOKS / f"{name}.md").read_text()


def test_slugs_and_anchors_follow_github():
    assert slug("K8S010 Pending: untolerated taint") == "k8s010-pending-untolerated-taint"
    assert slug("A2 — Debug a broken cluster") == "a2--debug-a-broken-cluster"
    assert anchors("# Alerts\n```text\n# not a heading\n```\n## Alerts\n### Node not ready\n") == {
        "alerts", "alerts-1", "node-not-ready"}


@pytest.mark.parametrize("code", sorted(TITLES))
def test_every_code_has_its_heading_in_its_guide(code):
    assert slug(heading(code)) in anchors(text(guide(code))), runbook(code)


@pytest.mark.parametrize("name", sorted(GUIDES.values()))
def test_every_code_heading_of_a_guide_is_a_known_code(name):
    found = CODE_HEADING.findall(text(name))
    assert found, f"{name}.md has no finding headings"
    assert [code for code in found if code not in TITLES or guide(code) != name] == []


def test_there_are_at_least_twenty_drills_of_known_codes():
    known = drills()
    assert len(known) >= 20
    assert {drill.code for drill in known.values()} <= set(TITLES)


@pytest.mark.parametrize("name", sorted(drills()))
def test_every_drill_has_its_real_output_in_its_guide(name):
    drill = drills()[name]
    kept = record.recorded(drill)
    assert set(kept) == set(record.STATES), f"{record.guide_path(drill).name} lacks a doctor-output block of {name}"
    assert all("not recorded yet" not in output and output.strip() for output in kept.values()), (
        f"{name}: run `invoke doctor.drill --scenario {name} --env local --record`")
