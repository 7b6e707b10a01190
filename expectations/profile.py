"""What an imported source means for the expectation suites: suites that cannot run, ranges
to widen.

The suites in ``expectations/suites`` describe a car dealer's DMS: a weekly listings scrape,
cars priced from 500 up. An imported export can lack a feed altogether (Car Sales and Mint
Classics have no listings, service visits or price changes, and no unit-level stock), or sell
something else at other prices (Mint Classics' model cars cost 10 to 300). Failing a blocking
check for that would stop the whole pipeline over a fact of the source, not a defect in a
delivery. So each importer states which suites cannot run (with why) and which ranges differ
(``landing.importers.report.check_profile``) in the home's source profile
(``ForecourtHome.source_profile``, outside the landing zone: a file dropped among the
deliveries cannot switch a check off), and the checks read it here. A suite that cannot run
is reported as not run (``orchestration/checks.py``), never as passed. Homes without an import
(a real DMS, the demo data) are untouched.
"""

from __future__ import annotations

import copy
from pathlib import Path

from landing.importers.report import read_profile


def adapt_suite(spec: dict, profile_path: Path) -> tuple[dict | None, str]:
    """The suite as this home's source needs it: (None, why) when it cannot run, else
    (spec, what changed)."""
    profile = read_profile(Path(profile_path))
    name = spec.get("name", "")
    if name in profile.get("skip", {}):
        return None, f"Not run: {profile['skip'][name]}."
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
