"""Loading landing-zone files into the warehouse's ``raw`` schema: check, quarantine, replace."""

from orchestration.ingestion.files import LandingFileError
from orchestration.ingestion.loader import LoadReport, load_feed

__all__ = ["LandingFileError", "LoadReport", "load_feed"]
