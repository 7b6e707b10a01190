"""The KPI dashboard: self-contained, true to the marts, and alive in a real headless browser."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import duckdb
import pytest

from serving.dashboard import build_dashboard
from serving.dashboard import data as dashboard
from serving.dashboard.browser import Chromium, find_chromium
from serving.dashboard.data import CUBE_LEVELS, _columnar, cube_description, dashboard_data
from tests.serving.mini_warehouse import build


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The page for a full source, and for a source without forecasts and segments."""
    root = tmp_path_factory.mktemp("dashboard")
    full = build(root / "full.duckdb")
    partial = root / "partial.duckdb"
    shutil.copy(full, partial)
    with duckdb.connect(str(partial)) as conn:
        conn.execute("drop table ml.demand_forecast; drop table ml.segment_profiles")
    build_dashboard(full, root / "full.html")
    build_dashboard(partial, root / "partial.html")
    return root


def embedded(page) -> dict:
    text = page.read_text()
    match = re.search(r'<script id="forecourt-data" type="application/json">(.*?)</script>', text)
    return json.loads(match.group(1))


def count(pages, sql: str, params=()) -> int:
    with duckdb.connect(str(pages / "full.duckdb"), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchone()[0]


def test_the_page_loads_nothing_from_anywhere(pages):
    html = (pages / "full.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_the_embedded_cube_adds_up_to_the_marts(pages):
    data = embedded(pages / "full.html")
    sales = data["sales"]
    assert sum(sales["n"]) == count(pages, "select count(*) from marts.fct_sales")
    gross = count(pages, "select round(sum(gross_profit)) from marts.fct_sales")
    assert abs(sum(sales["gp"]) - float(gross)) < len(sales["gp"])  # rounded per cube cell
    assert data["dealers"]["id"] == ["D01", "D02", "D04", "D06"]
    assert data["segments"] and data["forecast"]["series"]["total"]["forecast"]


def test_query_columns_come_out_as_json_ready_lists():
    conn = duckdb.connect()
    got = _columnar(
        conn,
        "select * from (values (1, 2.50::decimal(6, 2), 'nan'::double, date '2024-01-02', "
        "timestamp '2024-01-03 10:00', 'a', null::decimal(4, 1)), "
        "(2, null, 1.5, null, null, null, 3.0)) t(i, dec, f, d, ts, s, nd) where i >= ?",
        [1],
    )
    whole = _columnar(
        conn, "select sum(x) as total, round(sum(x * 1.25)) as rounded from (values (1), (2)) t(x)"
    )
    assert whole == {"total": [3], "rounded": [4]}
    assert [type(v) for v in whole["total"] + whole["rounded"]] == [int, int]
    assert got == {
        "i": [1, 2],
        "dec": [2.5, None],
        "f": [None, 1.5],  # NaN is not JSON
        "d": ["2024-01-02", None],
        "ts": ["2024-01-03", None],
        "s": ["a", None],
        "nd": [None, 3.0],
    }
    assert [type(v) for v in got["dec"] + got["nd"]] == [float, type(None), type(None), float]
    json.dumps(got, allow_nan=False)
    assert _columnar(conn, "select 1 as a where false") == {"a": []}


def level_rows(warehouse) -> list[int]:
    """Rows of the sales cube at each of CUBE_LEVELS, for the warehouse's sales."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        first, last = conn.execute(
            "select min(sale_date), max(sale_date) from marts.fct_sales"
        ).fetchone()
        rows = []
        for level in CUBE_LEVELS:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(dashboard, "CUBE_LEVELS", (level,))
                rows.append(dashboard.cube_level(conn, first, last)[2])
        return rows


def period_start(day: int, last_day: int, step: int) -> int:
    """The first day of the period holding `day` (days since the first sale): periods of
    `step` days end on the last day."""
    return last_day - ((last_day - day) // step + 1) * step + 1


def bounded_data(warehouse, monkeypatch, cube_rows: int, stock_rows: int = 10**9) -> dict:
    monkeypatch.setattr(dashboard, "MAX_CUBE_ROWS", cube_rows)
    monkeypatch.setattr(dashboard, "MAX_INVENTORY_ROWS", stock_rows)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return dashboard_data(conn)


def test_a_large_groups_sales_cube_is_bounded_by_rows_and_still_adds_up(pages, monkeypatch):
    # A large group's page kept 3.4M weekly rows (174 MB). Each bound picks the finest level
    # that fits (periods coarsen, then breakdowns go), and whatever it keeps adds up.
    warehouse = pages / "full.duckdb"
    rows = level_rows(warehouse)
    assert rows == sorted(rows, reverse=True) and len(set(rows)) == len(rows)  # all 7 differ
    total = count(pages, "select count(*) from marts.fct_sales")
    by_dealer = {
        dealer: count(pages, "select count(*) from marts.fct_sales where dealer_id = ?", [dealer])
        for dealer in ("D01", "D02", "D04", "D06")
    }
    for bound in [*rows, rows[-1] - 1]:
        data = bounded_data(warehouse, monkeypatch, bound)
        sales, meta = data["sales"], data["meta"]
        last_day = (
            dt.date.fromisoformat(meta["last_day"]) - dt.date.fromisoformat(meta["first_day"])
        ).days
        fits = [i for i, r in enumerate(rows) if r <= bound]
        step, breakdowns = CUBE_LEVELS[fits[0] if fits else -1]
        assert (sales["step"], sales["bd"] is not None, sales["g"] is not None) == (
            step,
            "body_style" in breakdowns,
            "gender" in breakdowns,
        )
        assert sales["cube_rows"] == len(sales["n"]) == rows[CUBE_LEVELS.index((step, breakdowns))]
        assert (sales["cube_rows"] <= bound) == bool(fits)  # none fits: the coarsest, said so
        assert sum(sales["n"]) == total
        # periods end on the last day: the latest is whole, only the oldest may be partial
        assert all(period_start(d, last_day, step) == d for d in sales["d"])
        assert max(sales["d"]) == last_day - step + 1
        dealers = embedded(pages / "full.html")["dealers"]["id"]
        for dealer, units in by_dealer.items():
            index = dealers.index(dealer)
            cells = zip(sales["dealer"], sales["n"], strict=True)
            assert sum(n for d, n in cells if d == index) == units
        described = cube_description(sales)
        if sales["bd"] is None:
            assert sales["bodies"] is None and sales["g"] is None
            assert "body style and buyer gender left out" in described
        elif sales["g"] is None:
            assert sales["genders"] is None and sales["bodies"]
            assert "; buyer gender left out)" in described and "x body style" in described
        else:
            assert "left out" not in described
        assert ("aimed for" in described) == (not fits)


def test_a_large_groups_stock_is_sampled_back_from_the_last_day(pages, monkeypatch):
    warehouse = pages / "full.duckdb"
    days = count(
        pages,
        "select count(*) from (select distinct date_day, dealer_id, make "
        "from marts.inventory_daily where units_on_hand > 0)",
    )
    on_last_day = count(
        pages,
        "select sum(units_on_hand) from marts.inventory_daily "
        "where date_day = (select max(sale_date) from marts.fct_sales)",
    )
    for bound, step in ((days, 1), (days // 7 + 1, 7), (days // 28 + 1, 28), (1, 364)):
        data = bounded_data(warehouse, monkeypatch, 10**9, stock_rows=bound)
        stock, last = data["inventory"], data["meta"]["last_day"]
        assert stock["step"] == step
        last_d = (
            dt.date.fromisoformat(last) - dt.date.fromisoformat(data["meta"]["first_day"])
        ).days
        assert all((last_d - d) % step == 0 for d in stock["d"])
        cells = zip(stock["d"], stock["units"], strict=True)
        assert sum(u for d, u in cells if d == last_d) == on_last_day


def test_missing_tables_are_marked_not_available(pages):
    data = embedded(pages / "partial.html")
    assert data["forecast"] is None and data["segments"] is None and data["inventory"]["a30"]


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium); no browser test")
    pytest.importorskip(
        "websocket", reason="websocket-client is a dev extra: pip install -e .[dev]"
    )
    with Chromium(width=1400, height=1000) as chromium:
        yield chromium


UNITS = "document.querySelector('#kpi-units .value').textContent"


def choose(element: str, value: str) -> str:
    """Set a filter as a user would (value + change event) and read the units shown."""
    return (
        f"(() => {{ const e = document.getElementById('{element}'); e.value = '{value}'; "
        f"e.dispatchEvent(new Event('change')); return {UNITS}; }})()"
    )


def test_the_dashboard_works_in_a_headless_browser(pages, browser, tmp_path):
    browser.open((pages / "full.html").as_uri())
    browser.wait_until("document.body.dataset.ready === 'true'")
    assert browser.console_errors() == []
    total = count(pages, "select count(*) from marts.fct_sales")
    assert browser.evaluate(UNITS) == f"{total:,}"
    d01 = count(pages, "select count(*) from marts.fct_sales where dealer_id = 'D01'")
    assert browser.evaluate(choose("f-dealer", "dealer:0")) == f"{d01:,}"
    northeast = count(pages, "select count(*) from marts.fct_sales where region = 'Northeast'")
    assert browser.evaluate(choose("f-dealer", "region:Northeast")) == f"{northeast:,}"
    make = embedded(pages / "full.html")["makes"].index("Toyota")
    toyota_ne = count(
        pages,
        "select count(*) from marts.fct_sales where region = 'Northeast' and make = 'Toyota'",
    )
    assert browser.evaluate(choose("f-make", str(make))) == f"{toyota_ne:,}"
    browser.evaluate("document.getElementById('f-reset').click()")
    browser.evaluate("document.getElementById('f-from').value = '2025-01-01'")
    h1 = count(
        pages,
        "select count(*) from marts.fct_sales "
        "where sale_date between '2025-01-01' and '2025-06-30'",
    )
    assert browser.evaluate(choose("f-to", "2025-06-30")) == f"{h1:,}"
    bars = browser.evaluate("document.querySelectorAll('#chart-region rect').length")
    assert bars == 3  # Northeast, Southeast, Southwest
    shot = browser.screenshot(tmp_path / "dashboard.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert browser.console_errors() == []


def test_missing_sections_say_so_in_the_browser(pages, browser):
    browser.open((pages / "partial.html").as_uri())
    browser.wait_until("document.body.dataset.ready === 'true'")
    for section in ("table-segments", "chart-forecast"):
        text = browser.evaluate(f"document.getElementById('{section}').textContent")
        assert text == "Not available for this source."
    assert browser.console_errors() == []


PERIOD_ENDS = ((2025, 1, 10), (2025, 3, 26))  # From and To, inside two different periods


def test_a_bounded_page_says_what_it_left_out_in_the_browser(pages, browser, monkeypatch):
    # 91-day periods without breakdowns, stock every 28th day: a large group's page. The test
    # warehouse's 700 days are not a whole number of 91-day periods, so the oldest is partial.
    rows = level_rows(pages / "full.duckdb")
    monkeypatch.setattr(dashboard, "MAX_CUBE_ROWS", rows[CUBE_LEVELS.index((91, ()))])
    monkeypatch.setattr(dashboard, "MAX_INVENTORY_ROWS", 600)
    page = build_dashboard(pages / "full.duckdb", pages / "bounded.html")
    assert (page["sales"]["step"], page["inventory"]["step"]) == (91, 28)
    browser.open((pages / "bounded.html").as_uri())
    browser.wait_until("document.body.dataset.ready === 'true'")
    assert browser.console_errors() == []
    total = count(pages, "select count(*) from marts.fct_sales")
    assert browser.evaluate(UNITS) == f"{total:,}"
    text = "document.getElementById('{}').textContent"
    for chart in ("chart-body", "chart-gender"):
        assert "Left out at this group's size" in browser.evaluate(text.format(chart))
    assert "body style and buyer gender" in browser.evaluate(text.format("chart-gender"))
    assert "units per 91-day period" in browser.evaluate(text.format("chart-trend"))
    assert browser.evaluate(text.format("gpu-title")) == "Gross per unit by 91-day period"
    assert "sampled every 28 days" in browser.evaluate(text.format("kpi-stock"))

    # From and To inside periods: the whole periods count, and the page says which days
    first = dt.date.fromisoformat(page["meta"]["first_day"])
    last_day = (dt.date.fromisoformat(page["meta"]["last_day"]) - first).days
    periods = [period_start((dt.date(*d) - first).days, last_day, 91) for d in PERIOD_ENDS]
    start, end = max(0, periods[0]), periods[1] + 90
    offsets = [(dt.date(*d) - first).days for d in PERIOD_ENDS]
    assert start < offsets[0] and end > offsets[1]  # both inside their periods: a real test
    browser.evaluate("document.getElementById('f-from').value = '2025-01-10'")
    units = browser.evaluate(choose("f-to", "2025-03-26"))
    day = (
        (first + dt.timedelta(days=start)).isoformat(),
        (first + dt.timedelta(days=end)).isoformat(),
    )
    between = "select count(*) from marts.fct_sales where sale_date between ? and ?"
    assert units == f"{count(pages, between, day):,}"
    summary = browser.evaluate(text.format("f-summary"))
    assert f"(sales in 91-day periods: counted {day[0]} to {day[1]})" in summary
    hint = browser.evaluate("document.querySelector('#kpi-units .hint').textContent")
    assert hint == f"{end - start + 1} days (whole periods)"  # velocity etc. divide by these
    bars = browser.evaluate("document.querySelectorAll('#chart-trend rect').length")
    assert bars == (periods[1] - periods[0]) // 91 + 1  # one bar per period touched
    assert browser.console_errors() == []
