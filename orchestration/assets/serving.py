"""The serving layer (group ``serving``): read-only copies for analysts, and the KPI dashboard.

Both run last in the daily refresh: the copy depends on every mart and every ml/ops table it
copies, the dashboard on the copy. The Definitions hand ``build_serving_assets`` the assets it
copies, so this module imports no other asset module.
"""

from collections.abc import Sequence

import dagster as dg

from landing.home import ForecourtHome
from orchestration.assets.outputs import preview
from orchestration.resources import ServingResource, WarehouseResource
from serving import pii_salt, serving_path
from serving.publish import publish
from serving.roles import load_roles

OWNERS = ["team:analytics-engineering"]
DASHBOARD_FILE = "index.html"


def _copies_markdown(report) -> dg.MetadataValue:
    rows = [
        "| file | tables | rows | left out | masked columns | small groups withheld in |",
        "|---|---:|---:|---|---|---|",
    ]
    for copy in report.copies:
        masked = sorted({c for columns in copy.masked_columns.values() for c in columns})
        rows.append(
            f"| {copy.path.name} | {len(copy.tables)} | {sum(copy.tables.values()):,} | "
            f"{', '.join(copy.excluded) or '-'} | {', '.join(masked) or '-'} | "
            f"{', '.join(sorted(copy.suppressed)) or '-'} |"
        )
    return dg.MetadataValue.md("\n".join(rows))


def _source(warehouse: WarehouseResource, home: ForecourtHome, schemas):
    """What the copies are built from: the DuckDB warehouse, or on Spark a DuckDB file over
    the Spark tables' Parquet (``serving.parquet_source``), rebuilt for each publish."""
    if warehouse.engine_name() != "spark":
        return lambda: warehouse.connect(read_only=True)
    import duckdb

    from serving.parquet_source import mirror_parquet

    tables = warehouse.tables()
    staged = home.root / "spark" / "serving_source.duckdb"
    mirror_parquet(tables.root, staged, schemas, lambda name: tables.read_arrow(
        f"select * from {name} limit 0"))
    return lambda: duckdb.connect(str(staged), read_only=True)


def served_keys(
    dbt_models: dg.AssetsDefinition, ml_assets: Sequence[dg.AssetsDefinition]
) -> list[dg.AssetKey]:
    """Every mart and ml/ops table, plus any dbt model nothing else reads (a new staging view,
    say), so the copy is the last step of the daily job whatever the dbt project grows."""
    dbt_parents = {parent for parents in dbt_models.asset_deps.values() for parent in parents}
    return sorted(
        {key for key in dbt_models.keys if key.path[0] == "marts" or key not in dbt_parents}
        | {key for asset in ml_assets for key in asset.keys if key.path[0] in ("ml", "ops")},
        key=lambda key: key.to_user_string(),
    )


def build_serving_assets(
    dbt_models: dg.AssetsDefinition, ml_assets: Sequence[dg.AssetsDefinition]
) -> list[dg.AssetsDefinition]:
    """The serving copy (after everything it copies) and the dashboard (after the copy)."""
    served = served_keys(dbt_models, ml_assets)

    @dg.asset(
        key=["serving", "forecourt_copy"],
        group_name="serving",
        kinds={"duckdb"},
        deps=served,
        owners=OWNERS,
        description=(
            "Read-only copies of the marts, ml and ops tables for analysts: "
            "FORECOURT_HOME/serving/forecourt.duckdb (everything) and one file per role in "
            "roles.toml (executive, analyst: personal data hashed or banded, managers: their "
            "dealers' rows). Built under temporary names and swapped in atomically, so readers "
            "never see half a copy and never block the pipeline."
        ),
    )
    def forecourt_copy(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, serving: ServingResource
    ) -> dg.MaterializeResult:
        home = ForecourtHome.from_env()
        config = load_roles(serving.roles_file)
        salt, salt_source = pii_salt(home, serving.pii_salt)
        if salt_source != "FORECOURT_PII_SALT":
            context.log.warning(
                f"FORECOURT_PII_SALT is not set: hashing with the salt in {salt_source}."
            )
        report = publish(
            _source(warehouse, home, config.schemas), home.serving, config, salt,
            memory_limit=warehouse.memory_limit,  # the role copies' DuckDB, as the warehouse's
        )
        full = report.copies[0]
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(full.path)),
                "version": report.version,
                "data_as_of": str(report.data_as_of),
                "dagster/row_count": sum(full.tables.values()),
                "tables": len(full.tables),
                "copies": _copies_markdown(report),
                "roles_file": str(config.source),
                "pii_salt_from": salt_source,
                "removed_files": ", ".join(report.removed) or "none",
                "seconds": round(report.seconds, 1),
            }
        )


    @dg.asset(
        key=["serving", "kpi_dashboard"],
        group_name="serving",
        kinds={"html"},
        deps=[forecourt_copy.key],
        owners=OWNERS,
        description=(
            "The KPI dashboard, FORECOURT_HOME/dashboard/index.html: one self-contained page "
            "(data, script and styles inline; works offline) with turnover, days supply, velocity, "
            "gross, aging, sales by region/body style/make/gender, trends, forecast against "
            "actual, open low-stock alerts and customer segments, filtered in the browser."
        ),
    )
    def kpi_dashboard(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        import pandas as pd  # here, not at the top: the Definitions import this module

        from serving.dashboard import build_dashboard
        from serving.dashboard.data import cube_description

        home = ForecourtHome.from_env()
        out = home.root / "dashboard" / DASHBOARD_FILE
        data = build_dashboard(serving_path(home=home), out)
        skip = ("meta", "dealers", "makes")
        sections = {k: v is not None for k, v in data.items() if k not in skip}
        for name, present in sections.items():
            if not present:
                context.log.info(f"{name}: not available for this source")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(out)),
                "url": dg.MetadataValue.url(out.as_uri()),
                "size_kb": round(out.stat().st_size / 1024),
                "data": f"{data['meta']['first_day']} to {data['meta']['last_day']}",
                # how much the page kept of a large group (serving/dashboard/data.py)
                "sales_cube": cube_description(data["sales"]),
                "stock_sampled_every_days": (data["inventory"] or {}).get("step"),
                "sections": preview(
                    pd.DataFrame({"section": list(sections), "available": list(sections.values())}),
                    rows=20,
                ),
            }
        )

    return [forecourt_copy, kpi_dashboard]
