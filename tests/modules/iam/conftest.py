"""Inputs of the iam submodules' tests (the shared planner plans any path under modules/)."""

from pathlib import Path

SUBMODULES = Path(__file__).parent / "submodules"
