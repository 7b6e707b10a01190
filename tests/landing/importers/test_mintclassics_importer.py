"""The Mint Classics importer: reference source tables plus the orders as daily contract drops."""

import datetime as dt

import duckdb
import pytest

from landing.contract import DAILY_FEEDS, REFERENCE_FEEDS
from landing.importers import import_mintclassics
from landing.importers.sources import MINTCLASSICS_TABLES, load_source_table
from landing.ingestion import load_feed


@pytest.fixture
def imported(mint_dir, tmp_path):
    landing = tmp_path / "home" / "landing"
    return import_mintclassics(mint_dir, landing), landing


def _rows(landing, feed):
    rows = []
    for path in sorted((landing / feed).glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        rows += [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    return rows


def _quirk(report, name, column=None):
    return next(q for q in report.quirks if q.name == name and column in (None, q.column))


def test_stray_whitespace_is_trimmed_and_counted_per_column(imported):
    report, landing = imported
    assert _quirk(report, "stray whitespace", "customers.country").rows == 1
    assert _quirk(report, "stray whitespace", "customers.contactFirstName").rows == 1
    source = (landing / "mintclassics" / "customers.csv").read_text()
    assert "Norway  " not in source and ",Norway," in source


def test_every_unit_on_an_order_line_is_a_sale_at_its_price(imported):
    _, landing = imported
    sales = _rows(landing, "sales")
    on_order_1 = [s for s in sales if s["deal_id"].startswith("MC-1-")]
    assert len(on_order_1) == 5  # 3 x P1 + 2 x P2
    assert sorted({s["sale_price"] for s in on_order_1}) == ["20.00", "45.00"]
    assert {s["sale_date"] for s in on_order_1} == {"2004-01-05"}


def test_a_cancelled_order_is_not_a_sale_and_is_reported(imported):
    report, landing = imported
    assert not [s for s in _rows(landing, "sales") if s["deal_id"].startswith("MC-2-")]
    quirk = _quirk(report, "cancelled orders")
    assert quirk.rows == 1 and "(4 units)" in quirk.action


def test_a_warehouse_is_a_rooftop_and_a_product_a_stocking_group(imported):
    _, landing = imported
    dealers = {d["dealer_id"]: d["region"] for d in _rows(landing, "dealers")}
    assert dealers == {"D01": "North", "D02": "East"}
    unit = next(v for v in _rows(landing, "vehicles") if v["stock_number"] == "MC-1-P2-001")
    assert (unit["dealer_id"], unit["make"], unit["model"]) == ("D02", "Planes", "Mustang")
    assert (unit["acquisition_cost"], unit["list_price"], unit["acquired_date"]) == (
        "20.00",
        "50.00",
        "",
    )


def test_customers_are_created_on_their_first_order_and_those_without_are_reported(imported):
    report, landing = imported
    customers = _rows(landing, "customers")
    assert [(c["customer_id"], c["created_date"]) for c in customers] == [("MC-100", "2004-01-05")]
    assert customers[0]["customer_type"] == "fleet"
    assert _quirk(report, "customers without orders").rows == 1


def test_the_landed_contract_files_load_without_a_single_reject(imported):
    _, landing = imported
    days = [dt.date(2004, 1, 5) + dt.timedelta(days=i) for i in range(10)]
    with duckdb.connect() as conn:
        reports = [load_feed(conn, feed, landing) for feed in REFERENCE_FEEDS]
        reports += [load_feed(conn, feed, landing, days) for feed in DAILY_FEEDS]
        assert sum(r.rows_rejected for r in reports) == 0
        assert conn.execute("select count(*) from raw.sales").fetchone()[0] == 6


def test_the_source_tables_load_whole_with_their_types(imported):
    _, landing = imported
    with duckdb.connect() as conn:
        for table in MINTCLASSICS_TABLES.values():
            stats = load_source_table(conn, table, landing)
            assert stats["rows_rejected"] == 0, table.name
        stock = conn.execute(
            "select productCode, quantityInStock from raw.mintclassics_products order by 1"
        ).fetchall()
        assert stock == [("P1", 5), ("P2", 900)]


def test_a_bad_value_in_a_source_table_is_quarantined_with_its_line(tmp_path):
    table = MINTCLASSICS_TABLES["warehouses"]
    path = table.landing_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("warehouseCode,warehouseName,warehousePctCap\na,North,72\nb,East,lots\n")
    with duckdb.connect() as conn:
        stats = load_source_table(conn, table, tmp_path)
        rejects = conn.execute(
            "select source_line, column_name, value, reason from raw.rejects"
        ).fetchall()
    assert (stats["rows_read"], stats["rows_loaded"]) == (2, 1)
    assert rejects == [(3, "warehousePctCap", "lots", "not a valid integer")]


def test_a_home_without_the_export_gets_empty_source_tables(tmp_path):
    with duckdb.connect() as conn:
        stats = load_source_table(conn, MINTCLASSICS_TABLES["products"], tmp_path)
        assert stats["file"] is None
        assert conn.execute("select count(*) from raw.mintclassics_products").fetchone()[0] == 0
