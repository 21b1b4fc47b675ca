"""Fixtures of the observability tests: the pinned promtool, amtool and otelcol (built on first use), and the
PrometheusRule every release of every environment renders."""

from __future__ import annotations

import pytest
import yaml

from tbyte.core.environment import Environment
from tbyte.helm.outputs import example_outputs
from tbyte.helm.releases import environments
from tbyte.helm.render import render_all
from tbyte.toolchain.go_tools import GoTool


@pytest.fixture(scope="session")
def promtool():
    return GoTool("promtool").ensure_built()


@pytest.fixture(scope="session")
def amtool():
    return GoTool("amtool").ensure_built()


@pytest.fixture(scope="session")
def otelcol():
    return GoTool("otelcol").ensure_built()


@pytest.fixture(scope="session")
def chart_rules() -> dict[tuple[str, str], dict]:
    """{(env, release): the spec of the PrometheusRule the chart renders for it}."""
    found = {}
    for env in environments():
        for release, text in render_all(Environment.resolve(env), example_outputs(env)).items():
            for document in yaml.safe_load_all(text):
                if document and document["kind"] == "PrometheusRule":
                    found[(env, release)] = document["spec"]
    return found


def alerts(spec: dict) -> list[dict]:
    return [rule for group in spec["groups"] for rule in group["rules"] if "alert" in rule]
