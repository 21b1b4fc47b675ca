"""Entry point of the embedded AWS emulator process: moto's server, bound to 127.0.0.1 only."""

import argparse

from moto.server import main as moto_main

from tbyte.emulator import fixes


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    fixes.apply()
    moto_main(["--host", "127.0.0.1", "--port", str(args.port)])


if __name__ == "__main__":
    run()
