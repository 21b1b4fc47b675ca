"""The canary signals of local (tbyte/cluster/canary_signals.py): what its analysis reads for one version."""

from __future__ import annotations

import json

from tbyte.cluster.layout import Layout
from tbyte.core.files import write_private


def set_signal(layout: Layout, namespace: str, service: str, version: str, success_rate: float,
               latency_p95: float) -> dict:
    try:
        known = json.loads(layout.signals_file.read_text())
    except (OSError, json.JSONDecodeError):
        known = {}
    known[f"{namespace}/{service}/{version}"] = {"success-rate": success_rate, "latency-p95": latency_p95}
    write_private(layout.signals_file, json.dumps(known, indent=2, sort_keys=True))
    return known
