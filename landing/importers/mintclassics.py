"""Import the Mint Classics export (a model-car wholesaler, orders 2003-2005).

Two outputs (docs/real_data.md has the reasoning):
- every table, trimmed and checked, as a reference source ``landing/mintclassics/<table>.csv``
  (loaded into ``raw.mintclassics_*``, read by ``stg_mintclassics__*`` and the Mint marts):
  the stock snapshot, warehouse capacity, order statuses, credit limits and payments have no
  place in the DMS contract;
- the orders as daily contract drops, so forecasts, segments, stocking and alerts run on them:
  a warehouse is a rooftop (D01, D02, ... in warehouse-code order), a product a stocking
  group (make = product line,
  model = product name, trim = scale), every unit on a non-cancelled order line a unit sold
  (``vehicles`` + ``sales`` in the file of its order day, cost = buyPrice, list price = MSRP,
  price = priceEach), and a customer a business ('fleet') account created on its first order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from landing.importers.cleaning import (
    ExportError,
    is_null_token,
    read_csv_rows,
    repair_mojibake,
    require_columns,
)
from landing.importers.landing import (
    FILE_DAY,
    FeedRows,
    check_landing_is_ours,
    write_feeds,
    write_table,
)
from landing.importers.report import ImportReport, check_profile
from landing.importers.sources import MINTCLASSICS_TABLES

SOURCE = "mintclassics"
NOT_IN_SOURCE = {
    "stock history": "one snapshot (products.quantityInStock, date not given; read as of the "
    "last order day); no acquisition dates, so no stock ages",
    "market_listings": "no competitor listings: market value and price-to-market are skipped",
    "service_visits, price_changes": "not in the export (header-only files)",
    "vehicles.vin, stock_type, model_year, acquisition_source, acquired_date": "not in the export",
    "customers.gender, age, annual_income, email": "business accounts: not in the export",
    "dealers.city, country": "warehouses have only a code, a name and a share of capacity used",
}


MODEL_CAR_PRICE = {
    "kwargs": {"min_value": 1, "max_value": 10000},
    "why": "model cars: prices and costs from about 10 to 300, not a car's 500 and up",
}
CHECK_RANGES = {
    "sales": {"sale_price": MODEL_CAR_PRICE},
    "fct_sales": {"sale_price": MODEL_CAR_PRICE},
    "vehicles": {"list_price": MODEL_CAR_PRICE, "acquisition_cost": MODEL_CAR_PRICE},
}


def warehouse_dealer_ids(codes: list[str]) -> dict[str, str]:
    """Dealer codes in the contract's shape, D01, D02, ... in warehouse-code order (the same
    rule as marts.stock_on_hand_snapshot, whose relationships test keeps the two in step)."""
    return {code: f"D{i:02d}" for i, code in enumerate(sorted(set(codes)), 1)}


def _read_table(directory: Path, name: str, report: ImportReport) -> list[dict[str, str | None]]:
    table = MINTCLASSICS_TABLES[name]
    path = directory / f"{name}.csv"
    raw_header, header, rows = read_csv_rows(path)
    require_columns(path, header, [c.name for c in table.columns])
    for raw, clean in zip(raw_header, header, strict=True):
        if raw != clean:
            report.add("whitespace in header", f"{name}.{raw!r}", 1, f"read as {clean!r}")
    trimmed, repaired = Counter(), Counter()
    examples: dict[str, list[dict]] = defaultdict(list)
    out, repaired_lines = [], set()
    for line, values in rows:
        record: dict[str, str | None] = {}
        for column, value in zip(header, values, strict=True):
            fixed, moji = repair_mojibake(value)
            stripped = fixed.strip()
            if moji:
                repaired[column] += 1
                repaired_lines.add(line)
            if stripped != fixed:
                trimmed[column] += 1
                repaired_lines.add(line)
                if len(examples[column]) < 5:
                    examples[column].append({"line": line, "value": value, "now": stripped})
            record[column] = None if is_null_token(stripped) else stripped
        record["_line"] = str(line)
        out.append(record)
    for column, n in sorted(trimmed.items()):
        report.add("stray whitespace", f"{name}.{column}", n, "trimmed", examples[column])
    for column, n in sorted(repaired.items()):
        report.add("mojibake", f"{name}.{column}", n, "re-decoded as UTF-8")
    report.rows_read += len(out)
    report.rows_repaired += len(repaired_lines)
    return out


def _write_sources(directory: Path, landing: Path, tables: dict[str, list[dict]]) -> int:
    changed = 0
    for name, rows in tables.items():
        columns = [c.name for c in MINTCLASSICS_TABLES[name].columns]
        target = MINTCLASSICS_TABLES[name].landing_path(landing)
        changed += write_table(target, columns, [[r.get(c) for c in columns] for r in rows])
    return changed


def _contract_rows(tables: dict[str, list[dict]], report: ImportReport) -> FeedRows:
    feeds = FeedRows()
    dealer_of = warehouse_dealer_ids([w["warehouseCode"] for w in tables["warehouses"]])
    for w in tables["warehouses"]:
        feeds.add(
            "dealers",
            {
                "dealer_id": dealer_of[w["warehouseCode"]],
                "dealer_name": f"{w['warehouseName']} warehouse",
                "region": w["warehouseName"],
            },
        )
    products = {p["productCode"]: p for p in tables["products"]}
    orders = {o["orderNumber"]: o for o in tables["orders"]}
    first_order: dict[str, str] = {}
    for o in tables["orders"]:
        c = o["customerNumber"]
        first_order[c] = min(first_order.get(c, o["orderDate"]), o["orderDate"])
    known_customers = set()
    for c in tables["customers"]:
        number = c["customerNumber"]
        if number not in first_order:
            continue
        known_customers.add(number)
        feeds.add(
            "customers",
            {
                "customer_id": f"MC-{number}",
                "customer_type": "fleet",  # resellers: the contract's business-buyer type
                "first_name": c["contactFirstName"],
                "last_name": c["contactLastName"],
                "company_name": c["customerName"],
                "city": c["city"],
                "region": c["country"],
                "phone": c["phone"],
                "created_date": first_order[number],
            },
        )
    never_ordered = [
        c["customerNumber"] for c in tables["customers"] if c["customerNumber"] not in first_order
    ]
    report.add(
        "customers without orders",
        "customers.customerNumber",
        len(never_ordered),
        "kept in the reference source; not in the DMS customers feed (no creation day)",
        [{"customerNumber": n} for n in never_ordered],
    )
    orphan_customers = sorted({o["customerNumber"] for o in orders.values()} - known_customers)
    report.add(
        "orders of unknown customers",
        "orders.customerNumber",
        len(orphan_customers),
        "landed; ingestion quarantines their sales as unknown references",
    )
    cancelled = Counter()
    unknown_products = []
    for line in tables["orderdetails"]:
        order, product = orders.get(line["orderNumber"]), products.get(line["productCode"])
        if order is None or product is None:
            unknown_products.append(
                {"line": line["_line"], **{k: line[k] for k in ("orderNumber", "productCode")}}
            )
            continue
        quantity = int(line["quantityOrdered"])
        if order["status"] == "Cancelled":
            cancelled["lines"] += 1
            cancelled["units"] += quantity
            continue
        day = dt.date.fromisoformat(order["orderDate"])
        dealer_id = dealer_of.get(product["warehouseCode"], product["warehouseCode"])
        for k in range(1, quantity + 1):
            unit_id = f"MC-{line['orderNumber']}-{line['productCode']}-{k:03d}"
            feeds.add(
                "vehicles",
                {
                    "stock_number": unit_id,
                    "dealer_id": dealer_id,
                    "make": product["productLine"],
                    "model": product["productName"],
                    "trim": product["productScale"],
                    "acquisition_cost": product["buyPrice"],
                    "list_price": product["MSRP"],
                    FILE_DAY: day,
                },
            )
            feeds.add(
                "sales",
                {
                    "deal_id": unit_id,
                    "sale_date": order["orderDate"],
                    "dealer_id": dealer_id,
                    "stock_number": unit_id,
                    "customer_id": f"MC-{order['customerNumber']}",
                    "sale_price": line["priceEach"],
                },
            )
    report.add(
        "order lines of unknown orders or products",
        "orderdetails",
        len(unknown_products),
        "skipped (no order day or warehouse to land them in)",
        unknown_products,
    )
    report.rows_skipped += len(unknown_products)
    report.add(
        "cancelled orders",
        "orders.status",
        sum(o["status"] == "Cancelled" for o in orders.values()),
        f"not sales: their {cancelled['lines']} lines ({cancelled['units']} units) are not landed"
        " as sales; they stay in the reference source",
    )
    report.facts["units sold (one vehicle + one sale per unit)"] = feeds.count("sales")
    return feeds


def import_mintclassics(
    directory: Path | str, landing: Path, replace: bool = False
) -> ImportReport:
    """Read the Mint Classics CSVs, report their quirks, write the source and contract files."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ExportError(f"{directory}: not a folder; expected the Mint Classics CSV export.")
    check_landing_is_ours(landing, SOURCE, replace)
    report = ImportReport(source=SOURCE, input_path=str(directory.resolve()))
    tables = {name: _read_table(directory, name, report) for name in MINTCLASSICS_TABLES}
    products_on_order = {line["productCode"] for line in tables["orderdetails"]}
    never = [
        p["productCode"] for p in tables["products"] if p["productCode"] not in products_on_order
    ]
    report.add(
        "products never ordered",
        "products.productCode",
        len(never),
        "kept: stock without demand (overstock in the stocking plan)",
        [{"productCode": code} for code in never],
    )
    no_rep = [c["customerNumber"] for c in tables["customers"] if not c["salesRepEmployeeNumber"]]
    report.add(
        "customers without a sales representative",
        "customers.salesRepEmployeeNumber",
        len(no_rep),
        "left empty (NULL); their sales territory is unknown",
    )
    unshipped = [o["orderNumber"] for o in tables["orders"] if o["shippedDate"] is None]
    report.add(
        "orders without shippedDate",
        "orders.shippedDate",
        len(unshipped),
        "left empty (not shipped yet, or cancelled); the order still counts from orderDate",
    )
    feeds = _contract_rows(tables, report)
    landing.mkdir(parents=True, exist_ok=True)
    source_changes = _write_sources(directory, landing, tables)
    written, unchanged, first, last = write_feeds(landing, feeds)
    report.files_written = written + source_changes
    report.files_unchanged = unchanged + len(tables) - source_changes
    report.first_day, report.last_day = first.isoformat(), last.isoformat()
    report.rows_written = {
        **{f: feeds.count(f) for f in ("dealers", "customers", "vehicles", "sales")},
        **{f"mintclassics/{name}": len(rows) for name, rows in tables.items()},
    }
    report.not_in_source = dict(NOT_IN_SOURCE)
    absent = ["price_changes", "service_visits", "market_listings"]
    report.checks = check_profile(SOURCE, absent, CHECK_RANGES)
    report.write(landing)
    return report
