"""The landing-zone data contract: the feeds the dealer-management system drops, their columns.

This module is the single source of truth. The demo generator writes it, ingestion validates it,
and docs/data_contract.md describes it for people. Files land as
``landing/<feed>/<YYYY-MM-DD>.csv`` (daily and weekly feeds) or ``landing/<feed>/<feed>.csv``
(reference feeds): UTF-8, comma-separated, one header row, ISO dates, empty field = NULL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Cadence = Literal["daily", "weekly", "reference"]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a DuckDB type; ingestion casts the text to it and quarantines what will not cast
    required: bool = False
    description: str = ""
    allowed: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class Feed:
    name: str
    cadence: Cadence
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique within the feed across all deliveries
    business_date: str | None = None  # the column that says which day a row belongs to
    references: dict[str, str] = field(default_factory=dict)  # column -> "feed.column"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def file_due(self, day: dt.date) -> bool:
        """Whether the DMS promises a file for this day (weekly feeds drop on Mondays)."""
        if self.cadence == "weekly":
            return day.weekday() == 0
        return self.cadence == "daily"


MONEY = "DECIMAL(12,2)"
ACQUISITION_SOURCES = ("trade_in", "auction", "lease_return", "new_allocation")

FEEDS: dict[str, Feed] = {
    f.name: f
    for f in (
        Feed(
            name="dealers",
            cadence="reference",
            description="Rooftops of the dealer group.",
            key=("dealer_id",),
            columns=(
                Column("dealer_id", "VARCHAR", True, "Dealer code, e.g. D01."),
                Column("dealer_name", "VARCHAR", True, "Trading name of the rooftop."),
                Column("city", "VARCHAR", False),
                Column("region", "VARCHAR", True, "Sales region the rooftop belongs to."),
                Column("country", "VARCHAR", False),
                Column("opened_date", "DATE", False, "Day the rooftop opened."),
                Column(
                    "in_pricing_experiment",
                    "BOOLEAN",
                    False,
                    "True where units are randomised between pricing strategies.",
                ),
            ),
        ),
        Feed(
            name="customers",
            cadence="daily",
            description="Customers created in the DMS that day (first purchase or service).",
            key=("customer_id",),
            business_date="created_date",
            columns=(
                Column("customer_id", "VARCHAR", True, "DMS customer number, e.g. C0000001."),
                Column("customer_type", "VARCHAR", True, allowed=("retail", "fleet")),
                Column("first_name", "VARCHAR", False, "PII."),
                Column("last_name", "VARCHAR", False, "PII."),
                Column("company_name", "VARCHAR", False, "Fleet buyers only."),
                Column("gender", "VARCHAR", False, allowed=("F", "M", "U")),
                Column("age", "INTEGER", False, min_value=16, max_value=110),
                Column("annual_income", MONEY, False, "PII (exact).", min_value=0, max_value=1e8),
                Column("city", "VARCHAR", False),
                Column("region", "VARCHAR", False),
                Column("phone", "VARCHAR", False, "PII."),
                Column("email", "VARCHAR", False, "PII."),
                Column("created_date", "DATE", True),
            ),
        ),
        Feed(
            name="vehicles",
            cadence="daily",
            description="Units taken into stock that day, with their first list price.",
            key=("stock_number",),
            business_date="acquired_date",
            references={"dealer_id": "dealers.dealer_id"},
            columns=(
                Column("stock_number", "VARCHAR", True, "Dealer stock number, e.g. D01-000123."),
                Column("vin", "VARCHAR", False, "17-character vehicle identification number."),
                Column("dealer_id", "VARCHAR", True),
                Column("stock_type", "VARCHAR", False, allowed=("new", "used")),
                Column("make", "VARCHAR", True),
                Column("model", "VARCHAR", True),
                Column("trim", "VARCHAR", False),
                Column("model_year", "INTEGER", False, min_value=1950, max_value=2100),
                Column("body_style", "VARCHAR", False),
                Column("engine", "VARCHAR", False),
                Column("transmission", "VARCHAR", False),
                Column("color", "VARCHAR", False),
                Column("mileage", "INTEGER", False, min_value=0, max_value=1_000_000),
                Column(
                    "condition_grade",
                    "DOUBLE",
                    False,
                    "1 (rough) to 5 (new).",
                    min_value=1,
                    max_value=5,
                ),
                Column("acquisition_source", "VARCHAR", False, allowed=ACQUISITION_SOURCES),
                Column(
                    "acquired_date",
                    "DATE",
                    False,
                    "Empty when the source has no acquisition dates; the unit is then delivered "
                    "in the file of the day it is first reported (e.g. its sale day).",
                ),
                Column("acquisition_cost", MONEY, False, min_value=0, max_value=1e7),
                Column(
                    "recon_cost", MONEY, False, "Reconditioning spend.", min_value=0, max_value=1e6
                ),
                Column(
                    "list_price", MONEY, False, "First asking price.", min_value=0, max_value=1e7
                ),
                Column(
                    "pricing_strategy",
                    "VARCHAR",
                    False,
                    "Pricing arm of the unit in experiment dealers.",
                    allowed=("standard", "aggressive"),
                ),
            ),
        ),
        Feed(
            name="price_changes",
            cadence="daily",
            description="List price changes made that day.",
            key=("stock_number", "changed_date"),
            business_date="changed_date",
            references={"stock_number": "vehicles.stock_number", "dealer_id": "dealers.dealer_id"},
            columns=(
                Column("stock_number", "VARCHAR", True),
                Column("dealer_id", "VARCHAR", True),
                Column("changed_date", "DATE", True),
                Column("old_price", MONEY, False, min_value=0, max_value=1e7),
                Column("new_price", MONEY, True, min_value=0, max_value=1e7),
                Column("reason", "VARCHAR", False, allowed=("age_markdown", "market_adjustment")),
            ),
        ),
        Feed(
            name="sales",
            cadence="daily",
            description="Vehicle deals delivered that day.",
            key=("deal_id",),
            business_date="sale_date",
            references={
                "dealer_id": "dealers.dealer_id",
                "stock_number": "vehicles.stock_number",
                "customer_id": "customers.customer_id",
            },
            columns=(
                Column("deal_id", "VARCHAR", True, "DMS deal number, e.g. S00000001."),
                Column("sale_date", "DATE", True),
                Column("dealer_id", "VARCHAR", True),
                Column("stock_number", "VARCHAR", True),
                Column("customer_id", "VARCHAR", True),
                Column("sale_price", MONEY, True, min_value=0, max_value=1e7),
            ),
        ),
        Feed(
            name="service_visits",
            cadence="daily",
            description="Repair orders closed that day.",
            key=("visit_id",),
            business_date="visit_date",
            references={"dealer_id": "dealers.dealer_id", "customer_id": "customers.customer_id"},
            columns=(
                Column("visit_id", "VARCHAR", True, "Repair order number, e.g. R00000001."),
                Column("visit_date", "DATE", True),
                Column("dealer_id", "VARCHAR", True),
                Column("customer_id", "VARCHAR", True),
                Column("stock_number", "VARCHAR", False, "Unit serviced, when sold by the group."),
                Column(
                    "service_type",
                    "VARCHAR",
                    False,
                    allowed=("maintenance", "repair", "warranty", "recall", "tires"),
                ),
                Column("amount", MONEY, True, min_value=0, max_value=1e6),
            ),
        ),
        Feed(
            name="market_listings",
            cadence="weekly",
            description="Competitors' retail listings scraped on Mondays.",
            key=("listing_id", "snapshot_date"),
            business_date="snapshot_date",
            columns=(
                Column("listing_id", "VARCHAR", True),
                Column("snapshot_date", "DATE", True),
                Column("region", "VARCHAR", True),
                Column("competitor", "VARCHAR", False, "Selling dealer."),
                Column("make", "VARCHAR", True),
                Column("model", "VARCHAR", True),
                Column("trim", "VARCHAR", False),
                Column("model_year", "INTEGER", False, min_value=1950, max_value=2100),
                Column("mileage", "INTEGER", False, min_value=0, max_value=1_000_000),
                Column("asking_price", MONEY, True, min_value=0, max_value=1e7),
                Column("days_on_market", "INTEGER", False, min_value=0, max_value=5000),
            ),
        ),
    )
}

# Load order: a feed's references must already be in the warehouse when it is validated.
DAILY_FEEDS = [
    "customers",
    "vehicles",
    "price_changes",
    "sales",
    "service_visits",
    "market_listings",
]
REFERENCE_FEEDS = ["dealers"]


def landing_file(landing_dir: Path | str, feed: str, day: dt.date | None = None) -> Path:
    """Where the contract puts a feed's file (reference feeds have one undated file)."""
    if FEEDS[feed].cadence == "reference":
        return Path(landing_dir) / feed / f"{feed}.csv"
    return Path(landing_dir) / feed / f"{day.isoformat()}.csv"


def contract_markdown() -> str:
    """The contract as a Markdown page (docs/data_contract.md is this, checked by a test)."""
    lines = [
        "# Landing-zone data contract",
        "",
        "Generated from `landing/contract.py`:",
        "`forecourt contract > docs/data_contract.md`.",
        "",
        "Files: `landing/<feed>/<YYYY-MM-DD>.csv` for daily feeds (one per day, header-only",
        "when nothing happened), weekly feeds on Mondays, and `landing/<feed>/<feed>.csv` for",
        "reference feeds. UTF-8, comma-separated, one header row (column order free, names",
        "exact), ISO dates, empty field = NULL, `.csv.gz` accepted. A row's business date must",
        "be the file's day.",
        "Rows that break a rule below are quarantined in `raw.rejects` with file, line, column,",
        "value and reason; the rest of the file loads. Values are taken exactly or not at all:",
        "a number with more decimals than its type keeps (`12.345` for DECIMAL(12,2), `7.5` for",
        "an INTEGER), a date not written `YYYY-MM-DD` and text holding a NUL byte are rejected,",
        "never rounded or read loosely.",
        "",
    ]
    for feed in FEEDS.values():
        lines += [f"## `{feed.name}` ({feed.cadence})", "", feed.description, ""]
        lines.append(f"Key: `{', '.join(feed.key)}` (unique across all deliveries).")
        if feed.references:
            refs = ", ".join(f"`{c}` → `{t}`" for c, t in feed.references.items())
            lines.append(f"References: {refs}.")
        lines += ["", "| column | type | required | rule | description |", "|---|---|---|---|---|"]
        for c in feed.columns:
            rule = []
            if c.allowed:
                rule.append("one of " + ", ".join(c.allowed))
            if c.min_value is not None:
                rule.append(f">= {c.min_value:g}")
            if c.max_value is not None:
                rule.append(f"<= {c.max_value:g}")
            required = "yes" if c.required else ""
            rules = "; ".join(rule)
            lines.append(f"| `{c.name}` | {c.type} | {required} | {rules} | {c.description} |")
        lines.append("")
    return "\n".join(lines)
