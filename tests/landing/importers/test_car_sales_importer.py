"""The Car Sales importer repairs and reports each real quirk, and lands contract files."""

import datetime as dt
import json

import duckdb
import pytest

from landing.contract import DAILY_FEEDS, FEEDS, REFERENCE_FEEDS
from landing.importers import ExportError, import_car_sales
from landing.ingestion import load_feed


@pytest.fixture
def imported(car_sales_csv, tmp_path):
    landing = tmp_path / "home" / "landing"
    return import_car_sales(car_sales_csv, landing), landing


def _quirk(report, name):
    return next(q for q in report.quirks if q.name == name)


def _landed(landing, feed):
    rows = []
    for path in sorted((landing / feed).glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        rows += [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    return rows


def test_mojibake_in_engine_is_repaired_and_counted(imported):
    report, landing = imported
    assert _quirk(report, "mojibake").column == "Engine"
    assert _quirk(report, "mojibake").rows == 1
    engines = {row["engine"] for row in _landed(landing, "vehicles")}
    assert engines == {"Double Overhead Camshaft", "Overhead Camshaft"}


def test_a_header_with_a_trailing_space_is_read_and_reported(imported):
    report, _ = imported
    quirk = _quirk(report, "whitespace in header")
    assert quirk.column == "'Dealer_No '" and "Dealer_No" in quirk.action


def test_a_truncated_make_is_expanded(imported):
    report, landing = imported
    assert _quirk(report, "truncated make").rows == 1
    assert "Mercedes-Benz" in {row["make"] for row in _landed(landing, "vehicles")}
    assert "Mercedes-B" not in {row["make"] for row in _landed(landing, "vehicles")}


def test_a_model_name_a_spreadsheet_read_as_a_date_is_restored(imported):
    report, landing = imported
    assert _quirk(report, "model read as a date").examples[0]["now"] == "9-5"
    assert "9-5" in {row["model"] for row in _landed(landing, "vehicles")}


def test_the_missing_value_is_reported_with_its_line_and_column(imported):
    report, landing = imported
    quirk = _quirk(report, "missing value")
    assert (quirk.column, quirk.rows) == ("Customer_Name", 1)
    assert quirk.examples[0] == {"line": 5, "Car_id": "C4", "value": "None", "now": None}
    assert "" in {row["first_name"] for row in _landed(landing, "customers")}


def test_a_row_without_a_usable_date_is_skipped_and_reported(imported):
    report, landing = imported
    assert report.rows_read == 5 and report.rows_skipped == 1
    assert "C5" not in {row["deal_id"] for row in _landed(landing, "sales")}


def test_the_identity_rule_merges_a_returning_buyer_and_separates_namesakes(imported):
    report, landing = imported
    sales = {row["deal_id"]: row["customer_id"] for row in _landed(landing, "sales")}
    assert sales["C1"] == sales["C2"] != sales["C3"]
    assert report.facts["distinct_customers"] == 3
    assert report.facts["customers_with_2_or_more_purchases"] == 1
    customers = _landed(landing, "customers")
    assert len(customers) == 3
    first = next(c for c in customers if c["customer_id"] == sales["C1"])
    assert first["created_date"] == "2022-01-02"  # the first purchase, not the last


def test_a_rooftop_is_a_dealer_name_in_a_region(imported):
    report, landing = imported
    dealers = _landed(landing, "dealers")
    assert {(d["dealer_name"], d["region"]) for d in dealers} == {
        ("Dealer A", "Austin"),
        ("Dealer A", "Pasco"),
        ("Dealer B", "Pasco"),
    }


def test_every_day_has_a_file_and_days_without_rows_are_header_only(imported):
    _, landing = imported
    days = [dt.date(2022, 1, d) for d in range(2, 6)]
    for feed in DAILY_FEEDS:
        present = sorted(p.name for p in (landing / feed).glob("*.csv"))
        due = [f"{d}.csv" for d in days if FEEDS[feed].file_due(d)]
        assert present == due, feed
    header_only = (landing / "sales" / "2022-01-03.csv").read_text().splitlines()
    assert header_only == [",".join(FEEDS["sales"].column_names)]


def test_what_the_source_lacks_is_left_empty_not_invented(imported):
    _, landing = imported
    for vehicle in _landed(landing, "vehicles"):
        for column in ("acquired_date", "acquisition_cost", "list_price", "vin", "model_year"):
            assert vehicle[column] == "", column


def test_the_report_is_written_as_json_beside_the_landing_files(imported):
    report, landing = imported
    saved = json.loads((landing / "import_report.json").read_text())
    assert saved["source"] == "car-sales"
    assert saved["rows_written"]["sales"] == 4
    assert {q["name"] for q in saved["quirks"]} >= {"mojibake", "truncated make"}


def test_importing_twice_rewrites_no_file(car_sales_csv, imported):
    report, landing = imported
    again = import_car_sales(car_sales_csv, landing)
    assert again.files_written == 0 and again.files_unchanged == report.files_written


def test_a_landing_zone_with_other_data_is_refused(car_sales_csv, tmp_path):
    landing = tmp_path / "other" / "landing"
    (landing / "sales").mkdir(parents=True)
    (landing / "sales" / "2024-01-01.csv").write_text("deal_id\n")
    with pytest.raises(ExportError, match="separate FORECOURT_HOME"):
        import_car_sales(car_sales_csv, landing)
    import_car_sales(car_sales_csv, landing, replace=True)
    assert not (landing / "sales" / "2024-01-01.csv").exists()


def test_a_file_without_the_expected_columns_is_refused_by_name(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("Car_id,Date\nC1,1/2/2022\n")
    with pytest.raises(ExportError, match="lacks column"):
        import_car_sales(path, tmp_path / "landing")


def test_the_landed_files_load_without_a_single_reject(imported):
    _, landing = imported
    days = [dt.date(2022, 1, d) for d in range(2, 6)]
    with duckdb.connect() as conn:
        reports = [load_feed(conn, feed, landing) for feed in REFERENCE_FEEDS]
        reports += [load_feed(conn, feed, landing, days) for feed in DAILY_FEEDS]
        assert sum(r.rows_rejected for r in reports) == 0
        assert conn.execute("select count(*) from raw.sales").fetchone()[0] == 4
        assert conn.execute("select count(*) from raw.vehicles").fetchone()[0] == 4


def test_dealer_codes_have_the_contract_shape_and_survive_a_reimport(car_sales_csv, imported):
    _, landing = imported
    before = {(d["dealer_name"], d["region"]): d["dealer_id"] for d in _landed(landing, "dealers")}
    assert sorted(before.values()) == ["D01", "D02", "D03"]
    extra = "C9,1/5/2022,Zoe,Female,1,Dealer 0,Ford,Focus,OHC,Auto,Red,1,1,Sedan,1,Austin"
    car_sales_csv.write_text(car_sales_csv.read_text() + extra + "\r\n", encoding="utf-8")
    import_car_sales(car_sales_csv, landing)
    after = {(d["dealer_name"], d["region"]): d["dealer_id"] for d in _landed(landing, "dealers")}
    assert {k: after[k] for k in before} == before
    assert after[("Dealer 0", "Austin")] == "D04"
