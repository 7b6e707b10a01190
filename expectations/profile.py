"""What an imported source means for the expectation suites: suites to skip, ranges to widen.

The suites in ``expectations/suites`` describe a car dealer's DMS: a weekly listings scrape,
cars priced from 500 up. An imported export can lack a feed altogether (Car Sales and Mint
Classics have no listings, service visits or price changes, and no unit-level stock), or sell
something else at other prices (Mint Classics' model cars cost 10 to 300). Failing a blocking
check for that would stop the whole pipeline over a fact of the source, not a defect in a
delivery. So each importer states, in ``import_report.json``, which suites do not apply (with
why) and which ranges differ (``landing.importers.report.check_profile``), and the checks
read it here. Homes without an import (a real DMS,
the demo data) are untouched.
"""

from __future__ import annotations

import copy
from pathlib import Path

from landing.importers.report import read_report


def adapt_suite(spec: dict, landing: Path) -> tuple[dict | None, str]:
    """The suite as this home's source needs it: (None, why) to skip, else (spec, what changed)."""
    profile = (read_report(landing) or {}).get("checks") or {}
    name = spec.get("name", "")
    if name in profile.get("skip", {}):
        return None, f"Skipped: {profile['skip'][name]}."
    ranges = profile.get("ranges", {}).get(name)
    if not ranges:
        return spec, ""
    adapted, changed = copy.deepcopy(spec), []
    for expectation in adapted["expectations"]:
        column = expectation["kwargs"].get("column")
        if expectation["type"] == "expect_column_values_to_be_between" and column in ranges:
            expectation["kwargs"].update(ranges[column]["kwargs"])
            changed.append(f"{column}: {ranges[column]['why']}")
    return adapted, ("Ranges set by the imported source: " + "; ".join(changed)) if changed else ""
