"""The canary signals of the local control plane: what Argo Rollouts' `web` analysis reads in `local`.

In local no workload serves traffic (kwok runs the pods), so there is no request metric to judge a canary by.
This small HTTP server answers GET /canary/<namespace>/<service>/<version> with the version's signals,
{"success-rate": 1.0, "latency-p95": 0.05} unless the signals file says otherwise: a JSON object
{"<namespace>/<service>/<version>": {"success-rate": r, "latency-p95": s}} that people and tests write
(`invoke rollout.signal`) to see a canary promoted or aborted. stage and prod judge with Prometheus.

    python -m tbyte.cluster.canary_signals --port P --file SIGNALS.json
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HEALTHY = {"success-rate": 1.0, "latency-p95": 0.05}


def signals(file: Path, key: str) -> dict:
    try:
        known = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError):
        known = {}
    return {**HEALTHY, **(known.get(key) or {})}


def handler(file: Path):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server interface
            parts = [part for part in self.path.split("?")[0].split("/") if part]
            if parts == ["healthz"]:
                return self._send(200, {"ok": True})
            if len(parts) != 4 or parts[0] != "canary":
                return self._send(404, {"error": "GET /canary/<namespace>/<service>/<version>"})
            return self._send(200, signals(file, "/".join(parts[1:])))

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - quiet: the controller polls every interval
            return

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--file", type=Path, required=True)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), handler(args.file)).serve_forever()


if __name__ == "__main__":
    main()
