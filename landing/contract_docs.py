"""The contract's descriptions written out for dbt: ``_dms__sources.yml`` is generated here.

``landing/contract.py`` is the one place a feed's or column's description is written; the dbt
sources file (and ``docs/data_contract.md``, ``contract_markdown``) are rendered from it and a
test keeps the committed files equal to the rendering:
``forecourt contract --dbt-sources > dbt_project/models/staging/dms/_dms__sources.yml``.
"""

from __future__ import annotations

import json

from landing.contract import FEEDS, Column
from landing.ingestion.schema import LINEAGE_COLUMNS

DBT_SOURCES_PATH = "dbt_project/models/staging/dms/_dms__sources.yml"

# The load metadata ingestion adds to every raw table (landing/ingestion/schema.py).
LINEAGE_DESCRIPTIONS = {
    "_source_file": "Path of the landing file the row came from.",
    "_source_line": "Line of the row in its landing file.",
    "_partition_date": "Day of the landing file (null for the reference feed dealers).",
    "_load_id": "Identifier of the ingestion run that loaded the row.",
    "_loaded_at": "When ingestion loaded the row; a re-delivered day gets a later value.",
}
SOURCE_DESCRIPTION = """\
Feeds of the dealer-management system (DMS), loaded by ingestion from the landing zone
into schema raw: the contract's columns with its types (landing/contract.py),
plus load metadata. Rows that fail validation go to a rejects table, never here; a
re-delivered day replaces that day's rows."""


def column_description(column: Column) -> str:
    """The contract's description, else the name in words; allowed values appended."""
    text = column.description or column.name.replace("_", " ").capitalize() + "."
    if column.allowed:
        text += " One of: " + ", ".join(column.allowed) + "."
    return text


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def dbt_sources_yaml() -> str:
    """The dbt ``dms`` source: one table per feed, its columns, the raw asset it comes from."""
    if [name for name, _ in LINEAGE_COLUMNS] != list(LINEAGE_DESCRIPTIONS):
        raise ValueError("LINEAGE_COLUMNS changed: describe them in LINEAGE_DESCRIPTIONS too.")
    lines = ["version: 2", "", "sources:", "  - name: dms", "    description: >"]
    lines += [f"      {line}" for line in SOURCE_DESCRIPTION.splitlines()]
    lines += ["    schema: raw", "    tables:"]
    for feed in FEEDS.values():
        lines += [
            f"      - name: {feed.name}",
            "        description: >",
            f"          {feed.description} Cadence: {feed.cadence}; key: {', '.join(feed.key)}.",
            "        config:",
            "          meta:",
            "            dagster:",
            f'              asset_key: ["raw", "{feed.name}"]',
            "        columns:",
        ]
        described = [(c.name, column_description(c)) for c in feed.columns]
        for name, text in [*described, *LINEAGE_DESCRIPTIONS.items()]:
            lines += [f"          - name: {name}", f"            description: {_quoted(text)}"]
    return "\n".join(lines) + "\n"
