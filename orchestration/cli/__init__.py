"""The ``forecourt`` command: generate, import, materialize, demo, publish, ask, alerts, ui."""

from orchestration.cli.main import main

__all__ = ["main"]
