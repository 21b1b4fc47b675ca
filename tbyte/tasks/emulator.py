"""`invoke emulator.*`: the embedded AWS emulator (moto) on 127.0.0.1."""

import json

from tbyte.emulator import DEFAULT_PORT, PORT_ENV, Emulator
from tbyte.tasks.base import task

PORT_HELP = f"port on 127.0.0.1 (default {DEFAULT_PORT}, or ${PORT_ENV})"


def _emulator(port):
    return Emulator(port=int(port)) if port else Emulator()


@task(help={"port": PORT_HELP})
def start(c, port=None):
    """Start the AWS emulator unless it already runs (idempotent); waits until it answers."""
    status = _emulator(port).start()
    print(f"emulator running at {status['endpoint']} (pid {status['pid']})")


@task(help={"port": PORT_HELP})
def stop(c, port=None):
    """Stop the AWS emulator this repository started (never another process); its data is gone."""
    stopped = _emulator(port).stop()
    print("emulator stopped" if stopped else "no emulator of this repository was running")


@task(help={"port": PORT_HELP, "json": "print one JSON object: running, endpoint, pid"})
def status(c, port=None, json_=False):
    """Say whether the AWS emulator runs, where, and its pid."""
    state = _emulator(port).status()
    if json_:
        print(json.dumps(state))
    else:
        print(f"{'running' if state['running'] else 'stopped'} at {state['endpoint']}" +
              (f" (pid {state['pid']})" if state["pid"] else ""))
