"""The stocking plan reads only the sales its rule uses (the history_weeks before the last
sale, orchestration/assets/stocking.py), and plans exactly as it did from every sale: on the
demo home's warehouse, at both grains."""

import pandas as pd
import pytest

from ml.stocking import StockingParams
from ml.stocking import stocking_plan as build_plan
from orchestration.assets.stocking import _inputs
from orchestration.resources import WarehouseResource

pytestmark = pytest.mark.e2e

EVERY_SALE = (
    "select dealer_id, sale_date, make, model, trim, model_year, sale_price from marts.fct_sales"
)


@pytest.mark.parametrize("grain", ["make_model", "ymmt"])
def test_the_plan_from_the_recent_sales_equals_the_plan_from_every_sale(demo_home, grain):
    warehouse = WarehouseResource(path=str(demo_home / "warehouse.duckdb"))
    params = StockingParams()
    recent, _ = _inputs(warehouse, params.history_weeks)
    every = {
        **recent,
        "sales": warehouse.read_frame(EVERY_SALE),
        "dealers": warehouse.read_frame("select dealer_id, region from marts.dim_dealers"),
    }
    assert 0 < len(recent["sales"]) < len(every["sales"])
    planned = build_plan(**recent, params=params, grain=grain)
    assert len(planned) > 0
    pd.testing.assert_frame_equal(planned, build_plan(**every, params=params, grain=grain))
