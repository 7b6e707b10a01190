"""The dashboard's filtered numbers in a real headless browser, against SQL on the demo home.

Filters set as a person would (value + change event): From, To, a region and a make. The
units sold, the stock on the To day, its share aged 60+ and the aging panel are then read off
the page and compared with SQL on the serving copy's marts. To is a day between two weekly
samples, so a panel still reading a weekly sample, or the last data day, gives another number.
"""

from __future__ import annotations

import duckdb
import pytest

from serving.dashboard import build_dashboard
from serving.dashboard.browser import Chromium, find_chromium

pytestmark = pytest.mark.e2e

FROM, TO, REGION, MAKE = "2024-03-01", "2024-06-30", "Midwest", "Chevrolet"


@pytest.fixture(scope="module")
def page(demo_home, tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium); no browser test")
    pytest.importorskip("websocket", reason="websocket-client is a dev extra")
    copy = demo_home / "serving" / "forecourt.duckdb"
    html = tmp_path_factory.mktemp("dash") / "dashboard.html"
    data = build_dashboard(copy, html)
    with Chromium(width=1400, height=1000) as browser:
        browser.open(html.as_uri())
        browser.wait_until("document.body.dataset.ready === 'true'")
        yield browser, copy, data


def sql(copy, query: str, params=()):
    with duckdb.connect(str(copy), read_only=True) as conn:
        return conn.execute(query, list(params)).fetchone()


def set_filter(browser, element: str, value: str) -> None:
    browser.evaluate(
        f"(() => {{ const e = document.getElementById('{element}'); e.value = '{value}'; "
        "e.dispatchEvent(new Event('change')); })()"
    )


def text(browser, selector: str) -> str:
    return browser.evaluate(f"document.querySelector('{selector}').textContent")


def test_filtered_tiles_and_aging_equal_sql_on_the_to_day(page):
    browser, copy, data = page
    set_filter(browser, "f-from", FROM)
    set_filter(browser, "f-to", TO)
    set_filter(browser, "f-dealer", f"region:{REGION}")
    set_filter(browser, "f-make", str(data["makes"].index(MAKE)))

    (sold,) = sql(
        copy,
        "select count(*) from marts.fct_sales s join marts.dim_dealers d using (dealer_id) "
        "where d.region = ? and s.make = ? and s.sale_date between ? and ?",
        [REGION, MAKE, FROM, TO],
    )
    stock, aged = sql(
        copy,
        "select sum(units_on_hand), sum(units_aged_60_plus) from marts.inventory_daily i "
        "join marts.dim_dealers d using (dealer_id) "
        "where d.region = ? and i.make = ? and i.date_day = ?",
        [REGION, MAKE, TO],
    )
    assert sold > 0 and stock > 0 and aged > 0  # numbers that can be wrong
    assert text(browser, "#kpi-units .value") == f"{sold:,}"
    assert text(browser, "#kpi-stock .value") == f"{stock:,}"
    assert text(browser, "#kpi-stock .hint") == f"on {TO}"
    assert text(browser, "#kpi-aged .value") == f"{100 * aged / stock:.1f}%"

    bars = browser.evaluate(
        "[...document.querySelectorAll('#chart-aging text:not(.label)')].map(t => t.textContent)"
    )
    (over_60,) = sql(
        copy,
        "select count(*) from marts.dim_vehicles v join marts.dim_dealers d using (dealer_id) "
        "where d.region = ? and v.make = ? and v.acquired_date <= ? "
        "and (v.sold_date is null or v.sold_date > ?) and ?::date - v.acquired_date > 60",
        [REGION, MAKE, TO, TO, TO],
    )
    assert bars[-1] == f"{over_60:,} units" and over_60 == aged
    assert sum(int(b.split()[0].replace(",", "")) for b in bars) == stock
    assert text(browser, "#aging-title").startswith(f"Stock aging on {TO}")
    assert browser.console_errors() == []


def test_the_forecast_follows_the_region_or_says_what_it_shows(page):
    browser, _, data = page
    set_filter(browser, "f-to", data["meta"]["last_day"])
    set_filter(browser, "f-make", "-1")
    set_filter(browser, "f-dealer", f"region:{REGION}")
    assert f"actual ({REGION})" in text(browser, "#chart-forecast .legend")
    assert text(browser, "#scope-forecast").startswith("Backtest accuracy below")
    set_filter(browser, "f-make", str(data["makes"].index(MAKE)))
    assert f"actual ({MAKE}, all dealers)" in text(browser, "#chart-forecast .legend")
    assert "No forecast per region and make" in text(browser, "#scope-forecast")
    for panel in ("alerts", "segments"):
        assert "not apply" in text(browser, f"#scope-{panel}")
    assert browser.console_errors() == []
