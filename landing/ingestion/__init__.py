"""Loading landing-zone files into the warehouse's ``raw`` schema: check, quarantine, replace."""

from typing import TYPE_CHECKING

from landing.ingestion.files import LandingFileError

if TYPE_CHECKING:
    from landing.ingestion.loader import LoadReport, load_feed

__all__ = ["LandingFileError", "LoadReport", "load_feed"]


def __getattr__(name: str):
    # The loader imports DuckDB; the Definitions import this package (for the checks'
    # drift module, the importers' validation) without loading anything, so it comes on first use.
    if name in ("LoadReport", "load_feed"):
        from landing.ingestion import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
