"""Raw assets for reference sources outside the DMS contract (group ``reference``).

One asset per declared table (``landing/importers/sources.py``), replaced whole from
``landing/<source>/<table>.csv``. They belong to the reference data set with its dbt models
(``dbt_project/models/reference/<data set>``, tagged ``source`` alike), which only homes that
imported the source build; run anyway, a table without its export is created empty.
"""

import dagster as dg

from landing.home import ForecourtHome
from landing.importers.sources import SOURCE_TABLES, SourceTable, load_source_table
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource


def _source_table_asset(table: SourceTable) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"{table.source}_{table.name}",
        key_prefix=["raw"],
        group_name="reference",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        description=f"{table.description} Reference source '{table.source}', replaced whole "
        f"from landing/{table.source}/{table.name}.csv (empty when the home has no such export).",
        owners=["team:data-engineering"],
        tags={"feed_cadence": "reference", "source": table.source},
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        landing = ForecourtHome.from_env().landing
        with warehouse.connect() as conn:
            stats = load_source_table(conn, table, landing)
            preview = conn.execute(
                f"select * exclude (_source_file, _load_id, _loaded_at) from {table.relation} "
                "limit 5"
            ).df()
        if stats["rows_rejected"]:
            context.log.warning(
                f"{table.relation}: {stats['rows_rejected']} of {stats['rows_read']} rows "
                "quarantined in raw.rejects"
            )
        note = (
            "_none_"
            if stats["file"]
            else f"- No {table.source} export in this home: the table is empty."
        )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": stats["rows_loaded"],
                "rows_read": stats["rows_read"],
                "rows_rejected": stats["rows_rejected"],
                "seconds": stats["seconds"],
                "source_file": stats["file"] or "",
                "preview": dg.MetadataValue.md(
                    preview.to_markdown(index=False) if len(preview) else "_no rows_"
                ),
                "notes": dg.MetadataValue.md(note),
            }
        )

    return _asset


reference_source_assets = [
    _source_table_asset(table) for tables in SOURCE_TABLES.values() for table in tables.values()
]
