"""`forecourt import` and `forecourt demo --source`: import a real export, then summarise it.

Each source gets its own FORECOURT_HOME (``data/<source>`` unless FORECOURT_HOME is set), so a
real data set never mixes with the generated demo data or with the other source.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from landing.home import REPO_ROOT, ForecourtHome
from landing.importers.report import ImportReport, read_profile, read_report

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_PATHS = {
    "car-sales": SHARED_DATA / "car_sales" / "car_sales.csv",
    "mintclassics": SHARED_DATA / "mintclassics",
}
# What `demo --source` prints after the platform's own sections: the reference analyses.
SUMMARIES = {
    "car-sales": {
        "Revenue and unit share by dealer region (marts.sales_mix)": """
            select dimension_value as region, units, round(unit_share, 3) as unit_share,
                   round(revenue_share, 3) as revenue_share, round(avg_price) as avg_price
            from marts.sales_mix where dimension = 'region' order by revenue desc""",
        "Luxury purchases by gender (marts.luxury_purchases_by_gender)": """
            select gender, units, luxury_units, round(luxury_share_of_purchases, 3) as share
            from marts.luxury_purchases_by_gender order by gender""",
        "Returning buyers by the identity rule (marts.buyer_repeat_summary)": """
            select buying_customers, returning_customers, distinct_first_names,
                   first_names_on_several_purchases from marts.buyer_repeat_summary""",
    },
    "mintclassics": {
        "Most urgent restocks (marts.mintclassics_product_restock)": """
            select restock_priority as priority, product_code, product_name, quantity_in_stock,
                   units_ordered, round(low_stock_rate, 2) as low_stock_rate, restock_status
            from marts.mintclassics_product_restock order by restock_priority limit 8""",
        "Warehouse utilisation (marts.mintclassics_warehouse_utilisation)": """
            select warehouse_code, warehouse_name, units_in_stock,
                   round(share_of_capacity_used, 2) as used, round(free_capacity_units) as free,
                   fits_in_other_warehouses as fits_elsewhere, is_consolidation_candidate
            from marts.mintclassics_warehouse_utilisation order by warehouse_code""",
        "VIP against less-engaged customers (marts.mintclassics_customer_tiers)": """
            select engagement_tier, customers, round(share_of_revenue, 3) as share_of_revenue,
                   round(avg_lifetime_revenue) as avg_lifetime_revenue, round(avg_orders, 1)
                   as avg_orders from marts.mintclassics_customer_tiers order by 4 desc""",
    },
}


def resolve_path(source: str, path: str | None) -> Path:
    if path:
        return Path(path).expanduser()
    default = DEFAULT_PATHS[source]
    if not default.exists():
        raise ValueError(f"no PATH given and {default} does not exist: pass the export's path.")
    return default


def use_source_home(source: str) -> ForecourtHome:
    """FORECOURT_HOME if set, else data/<source>; exported so every step uses the same home."""
    if not os.environ.get("FORECOURT_HOME"):
        os.environ["FORECOURT_HOME"] = str(REPO_ROOT / "data" / source)
        os.environ.pop("FORECOURT_WAREHOUSE", None)
    return ForecourtHome.from_env()


def run_import(source: str, path: str | None, replace: bool = False) -> ImportReport:
    from landing.importers import IMPORTERS

    home = ForecourtHome.from_env()
    report = IMPORTERS[source](resolve_path(source, path), home.landing, replace=replace)
    print(report.text())
    print(f"  report: {home.landing / 'import_report.json'}")
    print(f"  source profile (what the checks read): {home.source_profile}")
    return report


def asset_notes() -> list[tuple[str, str]]:
    """(asset, note) for every asset whose latest materialization carries notes."""
    import dagster as dg

    from orchestration.definitions import defs

    found = []
    instance = dg.DagsterInstance.get()
    for key in sorted(defs.resolve_asset_graph().materializable_asset_keys):
        event = instance.get_latest_materialization_event(key)
        notes = event.asset_materialization.metadata.get("notes") if event else None
        text = str(getattr(notes, "value", notes or "")).strip()
        if text and text != "_none_":
            found.append((key.to_user_string(), text))
    return found


def suite_outcomes() -> list[tuple[str, str, bool, str]]:
    """(check, status, passed, what it says) of the latest evaluation of every expectation-suite
    check: status "validated" (passed or failed on rows), "skipped", "empty" or "not evaluated".
    """
    import dagster as dg

    from orchestration.checks import gx_checks

    instance = dg.DagsterInstance.get()
    keys = [key for check in gx_checks for key in check.check_keys]
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    outcomes = []
    for key in keys:
        record = records.get(key)
        event = record.event if record else None
        evaluation = event.dagster_event.event_specific_data if event else None
        if evaluation is None:
            outcomes.append((key.name, "not evaluated", False, "no result yet"))
            continue
        status = evaluation.metadata.get("status")
        status = str(getattr(status, "value", status or "validated"))
        rows = evaluation.metadata.get("rows_validated")
        if status == "validated":
            verdict = "passed" if evaluation.passed else "FAILED"
            text = f"{verdict} on {getattr(rows, 'value', rows):,} row(s)"
        else:
            text = evaluation.description or ""
        outcomes.append((key.name, status, bool(evaluation.passed), text))
    return outcomes


def print_source_summary(home: ForecourtHome) -> None:
    """The import's quirks, what was skipped or partial and why, and the reference analyses."""
    from orchestration.cli.reports import print_sections

    report = read_report(home.landing) or {}
    source = report.get("source")
    if report:
        print(
            f"\nImported {source}: {report['rows_read']:,} rows read, "
            f"{report['rows_repaired']:,} repaired, {report['rows_skipped']:,} skipped"
        )
        for quirk in report["quirks"]:
            print(f"  - {quirk['name']} ({quirk['column']}): {quirk['rows']:,}; {quirk['action']}")
    profile = read_profile(home.source_profile)
    if profile.get("ranges"):
        print(f"\nExpectation ranges set by the source profile ({home.source_profile}):")
        for suite, columns in profile["ranges"].items():
            for column, rule in columns.items():
                print(f"  gx_{suite}: {column} within {rule['kwargs']} ({rule['why']})")
    print("\nExpectation suites on this home (latest evaluation; not run is never a pass):")
    for check, status, _, text in suite_outcomes():
        print(f"  {check}: " + (f"ran, {text}" if status == "validated" else f"{status}: {text}"))
    print("\nSkipped or partial, because the data cannot supply it (asset notes):")
    by_note: dict[str, list[str]] = {}
    for asset, text in asset_notes():
        by_note.setdefault(text, []).append(asset)
    for text, assets in by_note.items():
        label = (
            ", ".join(assets) if len(assets) < 3 else f"{assets[0]} .. {assets[-1]} ({len(assets)})"
        )
        first, *rest = [line.lstrip("- ").strip() for line in text.splitlines() if line.strip()]
        print(f"  {label}: {first}")
        for line in rest:
            print(f"  {' ' * len(label)}  {line}")
    if not by_note:
        print("  (nothing)")
    if source in SUMMARIES and home.warehouse.exists():
        try:
            print_sections(home, SUMMARIES[source])
        except duckdb.Error as exc:  # a mart that failed to build is named in the run output
            print(f"  (reference analyses unavailable: {exc})")
