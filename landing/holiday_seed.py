"""The dealer calendar as the dbt seed ``dealer_holidays``: the warehouse's copy of
``landing.calendar``, so the daily marts carry the same holidays as the demo generator and
the drift monitors. Regenerate with ``python -m landing.holiday_seed`` after editing the
calendar; a test keeps the two equal.
"""

from __future__ import annotations

import csv
import io

from landing.calendar import holidays
from landing.home import REPO_ROOT

SEED_PATH = REPO_ROOT / "dbt_project" / "seeds" / "dealer_holidays.csv"
FIRST_YEAR, LAST_YEAR = 2000, 2040  # the real data sets start in 2003; the demo ends by now


def seed_text(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> str:
    """The seed's CSV: one row per special day, in date order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["holiday_date", "holiday_name", "traffic", "is_closed"])
    for year in range(first_year, last_year + 1):
        for day, found in sorted(holidays(year).items()):
            writer.writerow([day.isoformat(), found.name, f"{found.traffic:.2f}",
                             str(found.closed).lower()])
    return out.getvalue()


if __name__ == "__main__":
    SEED_PATH.write_text(seed_text())
    print(f"wrote {SEED_PATH}")
