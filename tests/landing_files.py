"""Hand-made landing zones for loader and fault-injection tests: a dealer, a vehicle, raw bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from landing.contract import FEEDS, landing_file

DAY = dt.date(2024, 3, 4)
DEALER = {
    "dealer_id": "D01",
    "dealer_name": "Alpha",
    "city": "Austin",
    "region": "Southwest",
    "country": "USA",
    "in_pricing_experiment": "false",
}
VEHICLE = {
    "stock_number": "D01-000001",
    "vin": "1HGCM82633A004352",
    "dealer_id": "D01",
    "stock_type": "used",
    "make": "Toyota",
    "model": "Camry",
    "trim": "LE",
    "model_year": "2019",
    "body_style": "Sedan",
    "engine": "2.5L I4",
    "transmission": "Automatic",
    "color": "Blue",
    "mileage": "41000",
    "condition_grade": "3.5",
    "acquisition_source": "trade_in",
    "acquired_date": DAY.isoformat(),
    "acquisition_cost": "15000.00",
    "recon_cost": "800.00",
    "list_price": "19990.00",
    "pricing_strategy": "standard",
}


def vehicle(number: int = 1, **changes) -> dict:
    return {**VEHICLE, "stock_number": f"D01-{number:06d}", **changes}


def csv_text(feed: str, rows: list[dict], columns: list[str] | None = None, sep: str = ",") -> str:
    columns = columns or FEEDS[feed].column_names
    lines = [sep.join(columns)] + [sep.join(str(r.get(c, "")) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def write_feed(
    landing: Path, feed: str, rows: list[dict], day: dt.date | None = DAY, **options
) -> Path:
    path = landing_file(landing, feed, None if FEEDS[feed].cadence == "reference" else day)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(feed, rows, **options), encoding="utf-8")
    return path


def write_bytes(landing: Path, feed: str, data: bytes, day: dt.date = DAY, suffix=".csv") -> Path:
    path = landing_file(landing, feed, day).with_suffix(suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
