"""`invoke emulator.*`: the embedded AWS emulator (moto) on 127.0.0.1."""

import json

from tbyte.core.arguments import number
from tbyte.core.console import show
from tbyte.core.task import settings, task
from tbyte.emulator.manager import Emulator

PORT_HELP = "port on 127.0.0.1 (default: the tbyte.emulator_port setting, 4599)"


def _emulator(c, port) -> Emulator:
    configured = settings(c)
    return Emulator(port=number("--port", port, 1024, 65535) if port is not None else configured.emulator_port,
                    kube_port=configured.kube_port)


@task(help={"port": PORT_HELP})
def start(c, port=None):
    """Start the AWS emulator unless it already runs (idempotent); waits until it answers."""
    status = _emulator(c, port).start()
    show(f"emulator running at {status['endpoint']} (pid {status['pid']})")


@task(help={"port": PORT_HELP})
def stop(c, port=None):
    """Stop the AWS emulator this repository started (never another process); its data is gone."""
    stopped = _emulator(c, port).stop()
    show("emulator stopped" if stopped else "no emulator of this repository was running")


@task(help={"port": PORT_HELP, "json": "print one JSON object: running, endpoint, pid"})
def status(c, port=None, json_=False):
    """Say whether the AWS emulator runs, where, and its pid."""
    state = _emulator(c, port).status()
    if json_:
        print(json.dumps(state))
    else:
        show(f"{'running' if state['running'] else 'stopped'} at {state['endpoint']}" +
             (f" (pid {state['pid']})" if state["pid"] else ""))
