"""The hand-made warehouse, published, and its sales as pandas: shared by the ask tests."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from serving.publish import publish
from serving.roles import PiiRules, Role, RolesConfig
from tests.serving.mini_warehouse import build

CONFIG = RolesConfig(
    roles=(Role("analyst", pii="masked"),),
    pii=PiiRules(hash=("customer_id", "email", "phone"), drop=("first_name", "last_name")),
)


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    root = tmp_path_factory.mktemp("ask")
    warehouse = build(root / "warehouse.duckdb")
    publish(lambda: duckdb.connect(str(warehouse), read_only=True), root / "serving", CONFIG, "s")
    return root / "serving"


@pytest.fixture(scope="module")
def sales(serving) -> pd.DataFrame:
    with duckdb.connect(str(serving / "forecourt.duckdb"), read_only=True) as conn:
        frame = conn.execute(
            "select s.*, d.city, g.segment from marts.fct_sales s "
            "join marts.dim_dealers d using (dealer_id) "
            "left join ml.customer_segments g using (customer_id)"
        ).df()
    frame["sale_date"] = pd.to_datetime(frame["sale_date"])
    for column in ("sale_price", "gross_profit", "days_on_lot"):
        frame[column] = frame[column].astype(float)
    return frame
