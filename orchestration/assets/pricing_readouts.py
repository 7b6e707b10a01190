"""Price sensitivity and the pricing experiment readout (group ``pricing``): what sales history
says about price, thin wrappers over ml.pricing. Inputs a data set cannot supply are skipped with
a note in the metadata, never guessed."""

from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.outputs import (
    figure_markdown,
    preview,
    table_metadata,
    write_table,
)
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

FCT_SALES = dg.AssetKey(["marts", "fct_sales"])
DIM_DEALERS = dg.AssetKey(["marts", "dim_dealers"])
MARKET_VALUE_MODEL = dg.AssetKey(["ml", "market_value_model"])
OWNERS = ["team:data-science"]
KINDS = {"scikitlearn", "duckdb"}
READOUT_TYPES = {
    "metric": str,
    "n_control": "int64",
    "n_treatment": "int64",
    "control_mean": float,
    "treatment_mean": float,
    "difference": float,
    "ci_low": float,
    "ci_high": float,
    "relative_effect": float,
    "relative_ci_low": float,
    "relative_ci_high": float,
    "p_value": float,
    "significant": bool,
    "method": str,
    "experiment_dealers": str,
    "confidence": float,
}
SENSITIVITY_COLUMNS = {
    "elasticity": float,
    "std_error": float,
    "ci_low": float,
    "ci_high": float,
    "confidence": float,
    "n": "int64",
    "controls": str,
    "method": str,
}


class ExperimentConfig(dg.Config):
    method: str = "welch"
    confidence: float = 0.95


def _empty(columns: dict) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def _notes(notes: list[str]) -> dg.MetadataValue:
    return dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_")


@dg.asset(
    key=["ml", "price_sensitivity"],
    group_name="pricing",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[FCT_SALES, MARKET_VALUE_MODEL],
    owners=OWNERS,
    description=(
        "How much longer units listed above market take to sell: elasticity of days to sale "
        "to first list price / out-of-fold market value, with fixed effects for make, model, "
        "region and stock type and a robust 95% CI (ml.price_sensitivity), and mean days to "
        "sale per price-to-market band (ml.price_sensitivity_bins). Observational. Over the "
        "units ml.market_value_predictions covers: a long history's most recent sales only."
    ),
)
def price_sensitivity(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.pricing import plot_days_to_sale_by_price
    from ml.pricing import price_sensitivity as fit_sensitivity

    sold = (
        warehouse.read_frame(
            "select f.make, f.model, f.region, f.stock_type, f.days_on_lot as days_to_sale, "
            "f.initial_list_price as list_price, p.market_value "
            "from ml.market_value_predictions as p "
            "inner join marts.fct_sales as f on p.stock_number = f.stock_number"
        )
        if warehouse.table_exists("ml.market_value_predictions")
        else pd.DataFrame()
    )
    notes = []
    usable = (
        sold.dropna(subset=["list_price", "market_value", "days_to_sale"]) if len(sold) else sold
    )
    if usable.empty:
        notes.append(
            "Skipped: no sold unit has a first list price, days to sale and an "
            "out-of-fold market value (see market_value_model)."
        )
        summary, bins = (
            _empty(SENSITIVITY_COLUMNS),
            pd.DataFrame({"ptm_band": pd.Series(dtype=str)}),
        )
    else:
        result = fit_sensitivity(usable)
        bins = result.pop("bins").assign(ptm_band=lambda f: f["ptm_band"].astype(str))
        result["controls"] = ", ".join(result["controls"])
        summary = pd.DataFrame([result])[list(SENSITIVITY_COLUMNS)]
        if summary["elasticity"].isna().all():
            notes.append(f"Too few units ({len(usable)}) for the regression: slope is empty.")
    write_table(warehouse, "ml.price_sensitivity", summary)
    write_table(warehouse, "ml.price_sensitivity_bins", bins)
    for note in notes:
        context.log.warning(note)
    extra = {}
    if len(summary):
        row = summary.iloc[0]
        extra = {
            "elasticity": float(row["elasticity"]),
            "ci_low": float(row["ci_low"]),
            "ci_high": float(row["ci_high"]),
            "units": int(row["n"]),
            "days_to_sale_plot": figure_markdown(
                plot_days_to_sale_by_price(bins), "Days to sale by price to market"
            ),
        }
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.price_sensitivity",
            summary,
            bins=preview(bins, rows=20),
            notes=_notes(notes),
            **extra,
        )
    )


# The sales of the experiment's dealers only: those flagged in dim_dealers that sold, else
# those that sold units of both arms. The selection runs in the warehouse, so the readout reads
# the experiment's sales, not the whole history (11.2M rows at 10M sales).
EXPERIMENT_SQL = """
with flagged as (
    select distinct f.dealer_id
    from marts.fct_sales as f
    inner join marts.dim_dealers as d on f.dealer_id = d.dealer_id
    where d.is_in_pricing_experiment
),

both_arms as (
    select dealer_id
    from marts.fct_sales
    where pricing_strategy is not null
    group by dealer_id
    having count(distinct pricing_strategy) > 1
),

chosen as (
    select dealer_id, true as is_in_pricing_experiment from flagged
    union all
    select dealer_id, false from both_arms where not exists (select 1 from flagged)
)

select f.dealer_id, f.pricing_strategy, f.gross_profit as gross, f.days_on_lot as days_to_sale,
    chosen.is_in_pricing_experiment
from marts.fct_sales as f
inner join chosen on f.dealer_id = chosen.dealer_id
"""


@dg.asset(
    key=["ml", "pricing_experiment_readout"],
    group_name="pricing",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[FCT_SALES, DIM_DEALERS],
    owners=OWNERS,
    description=(
        "The pricing experiment: aggressive against standard pricing on units sold by the "
        "experiment dealers, gross per unit and days to sale with 95% confidence intervals "
        "(Welch t). Table ml.pricing_experiment. Only sold units count: units still in stock "
        "have no days to sale yet."
    ),
)
def pricing_experiment_readout(
    context: dg.AssetExecutionContext, config: ExperimentConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.pricing import READOUT_COLUMNS, experiment_readout

    sold = warehouse.read_frame(EXPERIMENT_SQL)
    notes = []
    dealers = sorted(sold["dealer_id"].unique())
    if dealers and not sold["is_in_pricing_experiment"].astype(bool).any():
        notes.append(
            "No dealer is flagged in_pricing_experiment; using dealers that sold "
            f"units of both arms: {', '.join(dealers)}."
        )
    readout = (
        experiment_readout(sold, method=config.method, confidence=config.confidence)
        if len(sold)
        else pd.DataFrame(columns=READOUT_COLUMNS)
    )
    thin = (readout["n_control"] < 2) | (readout["n_treatment"] < 2)
    if not dealers:
        notes.append("Skipped: no experiment dealers and no pricing_strategy arms in the sales.")
    for metric in readout.loc[thin, "metric"]:
        notes.append(f"{metric} skipped: fewer than two sold units with a value in an arm.")
    readout = readout[~thin].assign(
        experiment_dealers=", ".join(dealers), confidence=config.confidence
    )
    readout = readout.astype(READOUT_TYPES)
    write_table(warehouse, "ml.pricing_experiment", readout)
    for note in notes:
        context.log.warning(note)
    arms = sold["pricing_strategy"].value_counts().to_dict() if len(sold) else {}
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.pricing_experiment",
            readout,
            readout=preview(readout.drop(columns=["experiment_dealers"])),
            experiment_dealers=dg.MetadataValue.json(dealers),
            sold_units_by_arm=dg.MetadataValue.json({str(k): int(v) for k, v in arms.items()}),
            notes=_notes(notes),
        )
    )


readout_assets = [price_sensitivity, pricing_experiment_readout]
