"""Import the Car Sales export (one row per car sold, 2022-2023) into the landing contract.

Mapping (docs/real_data.md has the reasoning):
- a rooftop is a dealer name in a dealer region (the export lists every name in every region),
  numbered D001, D002, ... in the contract's shape;
- a customer is the identity rule's key: first name + phone + gender + annual income;
- a car is a unit (stock_number = Car_id) delivered in the file of its sale day, with no
  acquisition date, cost, list price, VIN, stock type or model year: the export has none;
- a sale is the row itself (deal_id = Car_id, sale_price = Price$).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from pathlib import Path

from landing.importers.cleaning import (
    is_null_token,
    normalise_whitespace,
    read_csv_rows,
    repair_mojibake,
    require_columns,
)
from landing.importers.landing import FILE_DAY, FeedRows, check_landing_is_ours, write_feeds
from landing.importers.makes import make_repairs
from landing.importers.report import ImportReport, check_profile, read_report

SOURCE = "car-sales"
COLUMNS = [
    "Car_id", "Date", "Customer_Name", "Gender", "Annual_Income", "Dealer_Name", "Company",
    "Model", "Engine", "Transmission", "Color", "Price$", "Dealer_No", "Body_Style", "Phone",
    "Dealer_Region",
]  # fmt: skip
GENDERS = {"male": "M", "female": "F", "m": "M", "f": "F"}
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, 1)}
# A spreadsheet read model names like "9-5" as dates and wrote them back as "5-Sep".
EXCEL_DATE = re.compile(r"^(\d{1,2})-(" + "|".join(MONTHS) + r")$")
IDENTITY_RULE = "first name + phone + gender + annual income"
NOT_IN_SOURCE = {
    "vehicles.acquired_date": "no acquisition dates: days in stock and aging are unknown",
    "vehicles.acquisition_cost": "no costs: gross profit and margins are empty",
    "vehicles.list_price": "Price$ is what the car sold for; no asking price is given",
    "vehicles.vin, stock_type, model_year, trim, mileage": "not in the export",
    "stock on hand": "only sold cars: stocking plan and low-stock alerts are skipped",
    "price_changes, service_visits, market_listings": "not in the export (header-only files)",
    "customers.last_name": "Customer_Name holds first names only",
}


def _short_id(prefix: str, *parts: str, length: int = 10) -> str:
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:length].upper()
    return f"{prefix}{digest}"


def dealer_ids(landing: Path, rooftops: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Dealer codes in the contract's shape (D001, D002, ...), one per (name, region).

    Codes already landed by an earlier import of this export are kept, and new rooftops are
    numbered after them, so a re-import with more dealers does not renumber history.
    """
    known: dict[tuple[str, str], str] = {}
    previous = landing / "dealers" / "dealers.csv"
    if previous.exists() and (read_report(landing) or {}).get("source") == SOURCE:
        with previous.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                known[(row["dealer_name"], row["region"])] = row["dealer_id"]
    numbers = [int(code[1:]) for code in known.values() if code[1:].isdigit()]
    width = max(2, len(str(len(set(rooftops) | set(known)))))
    next_number = max(numbers, default=0) + 1
    for rooftop in sorted(set(rooftops) - set(known)):
        known[rooftop] = f"D{next_number:0{width}d}"
        next_number += 1
    return known


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def _money(value: str) -> str:
    """'26000' -> '26000.00'; anything that is not a number is passed on for ingestion to
    quarantine with its line, never guessed."""
    try:
        return f"{float(value.replace(',', '')):.2f}"
    except ValueError:
        return value


def _repair_model(value: str) -> tuple[str, bool]:
    match = EXCEL_DATE.match(value)
    if not match:
        return value, False
    return f"{MONTHS[match.group(2)]}-{match.group(1)}", True


REPAIRS = {"mojibake", "stray whitespace", "truncated make", "model read as a date"}
ACTIONS = {
    "mojibake": "re-decoded as UTF-8 (non-breaking space -> space)",
    "stray whitespace": "trimmed",
    "truncated make": "expanded to the one make it is the start of",
    "model read as a date": "turned back into the model name (Saab 9-5, 9-3)",
    "missing value": "left empty (NULL); the row is kept",
}


class _Cleaner:
    """Cleans rows column by column and counts every repair for the report."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.examples: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.repaired_lines: set[int] = set()

    def note(self, quirk: str, column: str, line: int, car_id: str, before, after) -> None:
        self.counts[(quirk, column)] += 1
        if quirk in REPAIRS:
            self.repaired_lines.add(line)
        if len(self.examples[(quirk, column)]) < 5:
            self.examples[(quirk, column)].append(
                {"line": line, "Car_id": car_id, "value": before, "now": after}
            )

    def clean(self, line: int, record: dict[str, str]) -> dict[str, str | None]:
        car_id = record.get("Car_id", "").strip()
        out: dict[str, str | None] = {}
        for column, value in record.items():
            if is_null_token(value):
                self.note("missing value", column, line, car_id, value, None)
                out[column] = None
                continue
            fixed, changed = repair_mojibake(value)
            if changed:
                self.note("mojibake", column, line, car_id, value, fixed)
            fixed, changed = normalise_whitespace(fixed)
            if changed:
                self.note("stray whitespace", column, line, car_id, value, fixed)
            out[column] = fixed
        if out.get("Model"):
            model, changed = _repair_model(out["Model"])
            if changed:
                self.note("model read as a date", "Model", line, car_id, out["Model"], model)
            out["Model"] = model
        return out

    def expand_make(self, line: int, row: dict[str, str | None], repairs: dict[str, str]) -> None:
        make = repairs.get(row.get("Company") or "")
        if make:
            self.note("truncated make", "Company", line, row["Car_id"], row["Company"], make)
            row["Company"] = make


def import_car_sales(path: Path | str, landing: Path, replace: bool = False) -> ImportReport:
    """Read the Car Sales CSV, repair and report its quirks, write contract landing files."""
    path = Path(path)
    raw_header, header, rows = read_csv_rows(path)
    require_columns(path, header, COLUMNS)
    check_landing_is_ours(landing, SOURCE, replace)
    report = ImportReport(source=SOURCE, input_path=str(path.resolve()))
    for raw, clean in zip(raw_header, header, strict=True):
        if raw != clean:
            report.add("whitespace in header", repr(raw), 1, f"read as {clean!r}")

    cleaner, feeds = _Cleaner(), FeedRows()
    dealers: dict[tuple[str, str], str] = {}  # (dealer name, region) -> dealer_id
    customers: dict[tuple, dict] = {}
    purchases: Counter[str] = Counter()
    first_names: Counter[str] = Counter()
    seen_ids: set[str] = set()
    cleaned = [(line, cleaner.clean(line, dict(zip(header, v, strict=True)))) for line, v in rows]
    # A make written in full on any row is a full name, so the whole export is cleaned first
    repairs = make_repairs(row["Company"] or "" for _, row in cleaned)
    for line, row in cleaned:
        report.rows_read += 1
        cleaner.expand_make(line, row, repairs)
        day = _parse_date(row["Date"] or "")
        if day is None or not row["Car_id"]:
            report.rows_skipped += 1
            cleaner.note("no sale date or Car_id", "Date", line, row["Car_id"], row["Date"], None)
            continue
        car_id = row["Car_id"]
        if car_id in seen_ids:  # landed anyway: ingestion quarantines the duplicate key
            cleaner.note("duplicate Car_id", "Car_id", line, car_id, car_id, car_id)
        seen_ids.add(car_id)
        dealer_key = (row["Dealer_Name"] or "", row["Dealer_Region"] or "")
        dealer_id = dealers.setdefault(dealer_key, "")  # numbered once every rooftop is known
        gender = GENDERS.get((row["Gender"] or "").lower(), row["Gender"])
        name = row["Customer_Name"]
        identity = ((name or "").lower(), row["Phone"] or "", gender or "", row["Annual_Income"])
        customer = customers.get(identity)
        if customer is None or day.isoformat() < customer["created_date"]:
            customers[identity] = {
                "customer_id": _short_id("CS-C", *map(str, identity)),
                "customer_type": "retail",
                "first_name": name,
                "gender": gender,
                "annual_income": _money(row["Annual_Income"]) if row["Annual_Income"] else None,
                "phone": row["Phone"],
                "created_date": day.isoformat(),
            }
        customer_id = customers[identity]["customer_id"]
        purchases[customer_id] += 1
        if name:
            first_names[name.lower()] += 1
        feeds.add(
            "vehicles",
            {
                "stock_number": car_id,
                "dealer_id": dealer_key,
                "make": row["Company"],
                "model": row["Model"],
                "body_style": row["Body_Style"],
                "engine": row["Engine"],
                "transmission": row["Transmission"],
                "color": row["Color"],
                FILE_DAY: day,
            },
        )
        feeds.add(
            "sales",
            {
                "deal_id": car_id,
                "sale_date": day.isoformat(),
                "dealer_id": dealer_key,
                "stock_number": car_id,
                "customer_id": customer_id,
                "sale_price": _money(row["Price$"]) if row["Price$"] else None,
            },
        )
    dealers = dealer_ids(landing, list(dealers))
    for feed in ("vehicles", "sales"):
        for landed in feeds.rows[feed]:
            landed["dealer_id"] = dealers[landed["dealer_id"]]
    for (dealer_name, region), dealer_id in sorted(dealers.items(), key=lambda kv: kv[1]):
        feeds.add(
            "dealers",
            {
                "dealer_id": dealer_id,
                "dealer_name": dealer_name,
                "city": region,
                "region": region,
                "country": "USA",  # the publisher's description: a US dealer network
            },
        )
    for customer in customers.values():
        feeds.add("customers", customer)

    for (quirk, column), rows_affected in sorted(cleaner.counts.items()):
        action = ACTIONS.get(quirk, "landed as is; ingestion quarantines what breaks the contract")
        report.add(quirk, column, rows_affected, action, cleaner.examples[(quirk, column)])
    report.rows_repaired = len(cleaner.repaired_lines)
    repeat_names = sum(1 for n in first_names.values() if n > 1)
    report.facts = {
        "identity_rule": IDENTITY_RULE,
        "distinct_customers": len(customers),
        "customers_with_2_or_more_purchases": sum(1 for n in purchases.values() if n > 1),
        "distinct_first_names": len(first_names),
        "first_names_on_2_or_more_purchases": repeat_names,
        "rooftops (dealer name x region)": len(dealers),
        "columns not carried": "Dealer_No (one ZIP+4 code per dealer name; no contract column)",
    }
    report.not_in_source = dict(NOT_IN_SOURCE)
    report.checks = check_profile(SOURCE, ["price_changes", "service_visits", "market_listings"])
    landing.mkdir(parents=True, exist_ok=True)
    written, unchanged, first, last = write_feeds(landing, feeds)
    report.files_written, report.files_unchanged = written, unchanged
    report.first_day, report.last_day = first.isoformat(), last.isoformat()
    report.rows_written = {f: feeds.count(f) for f in ("dealers", "customers", "vehicles", "sales")}
    report.write(landing)
    return report
