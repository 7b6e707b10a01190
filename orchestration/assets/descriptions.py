"""What every ``ml.*`` and ``ops.*`` table and column means: one dictionary per table.

`outputs.write_table` (and `replace_table`) writes these as DuckDB comments (``COMMENT ON
TABLE/COLUMN``) each time it writes a table, so an analyst sees them in ``duckdb_columns()``, in
the serving copies and in any SQL client; on Spark they go into the Parquet schema and the
table's ``_forecourt.json`` (``landing/warehouse/spark.py``). A column added to a table without
a line here is written uncommented and logged; the end-to-end test that every ml/ops column of
a demo warehouse has a comment fails.
"""

from __future__ import annotations

from typing import TypedDict


class TableDoc(TypedDict):
    table: str
    columns: dict[str, str]


_SERIES = "Series id: 'total', 'region=<r>', 'dealer=<id>', 'make=<m>', 'model=<m>' or 'trim=<t>'."
_LEVEL = "Hierarchy level of the series: total, region, dealer, make, model or trim."
_METHODS = (
    "zero, naive, seasonal_naive, mean, ses, croston, tsb, adida, theta, holt or prophet"
)

DEMAND_FORECAST: TableDoc = {
    "table": "Weekly unit demand forecast per series of the dealer and product hierarchies, "
    "reconciled top-down so children add up to parents, with 80% and 95% intervals.",
    "columns": {
        "unique_id": _SERIES,
        "level": _LEVEL,
        "week_start": "Monday starting the forecast week.",
        "units_forecast": "Forecast units sold in the week (reconciled, never negative).",
        "units_lower_80": "Lower bound of the 80% prediction interval, in units.",
        "units_upper_80": "Upper bound of the 80% prediction interval, in units.",
        "units_lower_95": "Lower bound of the 95% prediction interval, in units.",
        "units_upper_95": "Upper bound of the 95% prediction interval, in units.",
        "method": f"Forecasting method of the series ({_METHODS}): the one its backtest chose "
        "(chosen_method in ml.forecast_accuracy), or the history rule before any backtest.",
        "forecast_origin": "Last week of sales history the forecast was made from.",
    },
}

FORECAST_ACCURACY: TableDoc = {
    "table": "Rolling-origin backtest per series: errors of our forecast (methods chosen on "
    "earlier folds only) and of seasonal naive and naive on the same weeks.",
    "columns": {
        "level": _LEVEL,
        "unique_id": _SERIES,
        "model": "Whose forecast is scored: forecourt (ours), seasonal_naive or naive.",
        "method": "Method the model used in the scored folds (the most frequent if it changed); "
        "for forecourt chosen on the folds before each scored one.",
        "chosen_method": "Method chosen on all folds for the next forecast: what "
        "ml.demand_forecast uses for this series.",
        "mae": "Mean absolute error in units over the scored weeks.",
        "rmse": "Root mean squared error in units over the scored weeks.",
        "smape": "Symmetric mean absolute percentage error, 0 to 200 (0/0 counts as 0).",
        "mase": "Mean absolute scaled error: absolute errors over each fold's in-sample MAE of "
        "seasonal naive (naive-1 if too short); below 1 beats that in-sample yardstick.",
        "folds": "Number of scored backtest folds (origins) this series was forecast in.",
        "n_obs": "Number of scored weeks (series x week) behind the metrics.",
    },
}

FORECAST_ACCURACY_BY_LEVEL: TableDoc = {
    "table": "Backtest accuracy summarised per hierarchy level and overall ('all').",
    "columns": {
        "level": _LEVEL + " 'all' is every series.",
        "n_series": "Number of series scored at this level.",
        "mase_forecourt": "Mean MASE of our forecast over the level's series.",
        "mase_seasonal_naive": "Mean MASE of seasonal naive over the level's series.",
        "mase_naive": "Mean MASE of naive (last value) over the level's series.",
        "mase_ratio": "mase_forecourt / mase_seasonal_naive: below 1 means ours is better.",
        "share_beats_seasonal_naive": "Share of series where our MASE is below seasonal naive's.",
        "smape_forecourt": "Mean sMAPE (0-200) of our forecast over the level's series.",
        "smape_seasonal_naive": "Mean sMAPE (0-200) of seasonal naive over the level's series.",
    },
}

STOCKING_PLAN: TableDoc = {
    "table": "What each rooftop should buy per make and model: demand, safety stock, reorder "
    "point, units to buy, the most to pay, and whether the group is low or overstocked.",
    "columns": {
        "dealer_id": "Dealer (rooftop) id.",
        "region": "Region of the dealer.",
        "group_key": "Stocking group: '<make> <model>'.",
        "make": "Vehicle make.",
        "model": "Vehicle model.",
        "units_on_hand": "Units of the group in the dealer's stock on the plan date.",
        "weekly_demand": "Expected units sold per week at this dealer.",
        "demand_over_lead_time": "Expected units sold during the replenishment lead time.",
        "demand_std_weekly": "Standard deviation of weekly units sold.",
        "safety_stock": "Extra units held against demand variability over the lead time.",
        "reorder_point": "Stock level at or below which the group should be reordered.",
        "target_stock": "Units the plan stocks up to when it buys (target days of supply).",
        "recommended_units": "Units to buy now (0 when stock is sufficient).",
        "max_buy_cost": "Most to pay per unit, leaving the target gross at market value.",
        "market_value": "Market value per unit: the region's median asking price, else "
        "national.",
        "days_supply": "Days of sales the units on hand cover at the expected demand.",
        "market_days_supply": "Days of supply of the group on the market (listings over "
        "daily sales), regional else national.",
        "aged_units": "Units on hand past the aged-inventory threshold.",
        "status": "Stock status: critical, low, ok or overstocked (see ml.stocking).",
        "demand_source": "Where weekly_demand came from: 'forecast' (ml.demand_forecast) or "
        "'history' (the dealer's own sales).",
        "plan_date": "Date the plan is for.",
    },
}

AGED_INVENTORY: TableDoc = {
    "table": "Units in stock longer than the aged-inventory threshold, oldest first.",
    "columns": {
        "dealer_id": "Dealer (rooftop) id.",
        "stock_number": "Stock number of the unit.",
        "make": "Vehicle make.",
        "model": "Vehicle model.",
        "trim": "Vehicle trim.",
        "model_year": "Model year.",
        "days_in_stock": "Days since the unit entered stock.",
        "list_price": "Current list price.",
        "total_cost": "Acquisition cost plus reconditioning.",
        "days_over": "Days past the aged-inventory threshold.",
    },
}

_DEALER_UNIT = {
    "stock_number": "Stock number of the unit.",
    "dealer_id": "Dealer (rooftop) id.",
    "region": "Region of the dealer.",
    "make": "Vehicle make.",
    "model": "Vehicle model.",
    "trim": "Vehicle trim.",
    "model_year": "Model year.",
}

PRICING_MODEL_METRICS: TableDoc = {
    "table": "Cross-validated accuracy of the market-value model and of its baseline.",
    "columns": {
        "role": "'model' (the market-value model) or 'baseline' (the yardstick it must beat).",
        "model": "Estimator class name.",
        "mae": "Mean absolute error of the predicted sale price, in currency.",
        "mape": "Mean absolute percentage error as a fraction (0.08 = 8%).",
        "folds": "Number of time-ordered cross-validation folds.",
        "units": "Number of sold units scored.",
        "beats_baseline": "Whether the model's MAE is below the baseline's.",
        "features": "Features the model used, comma separated.",
    },
}

MARKET_VALUE_PREDICTIONS: TableDoc = {
    "table": (
        "Out-of-fold market value of each sold unit the market value model trained on (the "
        "most recent, at most max_training_units) next to its actual sale price."
    ),
    "columns": {
        "stock_number": "Stock number of the sold unit.",
        "sale_date": "Date of the sale.",
        "actual": "Actual sale price.",
        "market_value": "Market value predicted by the model out of fold.",
        "baseline": "Baseline prediction for the same unit.",
        "fold": "Cross-validation fold the unit was predicted in.",
    },
}

PRICE_RECOMMENDATIONS: TableDoc = {
    "table": "Recommended price of every unit in stock: market value and comps, the age "
    "ladder's target ratio, the cost floor, and whether to mark down, raise or hold.",
    "columns": {
        **_DEALER_UNIT,
        "mileage": "Odometer reading in miles.",
        "condition_grade": "Condition grade (1 poor to 5 excellent).",
        "body_style": "Body style.",
        "stock_type": "'new' or 'used'.",
        "engine": "Engine description.",
        "transmission": "Transmission.",
        "color": "Exterior colour.",
        "days_in_stock": "Days since the unit entered stock.",
        "list_price": "Current list price.",
        "total_cost": "Acquisition cost plus reconditioning.",
        "as_of_date": "Date the recommendation is for.",
        "market_value": "Market value predicted by the pricing model.",
        "comp_median_price": "Median asking price of comparable listings.",
        "comp_count": "Number of comparable listings behind comp_median_price.",
        "price_to_market": "list_price / market_value.",
        "price_to_comps": "list_price / comp_median_price.",
        "cost_to_market": "total_cost / market_value.",
        "age_bucket": "Days-in-stock band of the age ladder.",
        "target_ratio": "The age band's target price as a fraction of the price basis.",
        "price_basis": "What the target ratio multiplies: market_value, comps or list_price.",
        "floor_price": "Least acceptable price: total_cost + min_gross.",
        "floor_applied": "Whether the recommendation was raised to the floor.",
        "recommended_price": "Recommended list price.",
        "markdown": "list_price - recommended_price (negative: a raise).",
        "action": "'markdown', 'raise' or 'hold'.",
        "min_gross": "Least gross a recommended price must leave over total cost.",
    },
}

PRICE_SENSITIVITY: TableDoc = {
    "table": "Observational price sensitivity: how days to sale move with price to market.",
    "columns": {
        "elasticity": "Elasticity of (1 + days to sale) with respect to price to market.",
        "std_error": "Standard error of the elasticity.",
        "ci_low": "Lower bound of the elasticity's confidence interval.",
        "ci_high": "Upper bound of the elasticity's confidence interval.",
        "confidence": "Confidence level of the interval (0.95 = 95%).",
        "n": "Number of sold units in the regression.",
        "controls": "Fixed effects controlled for, comma separated.",
        "method": "How the elasticity was estimated.",
    },
}

PRICE_SENSITIVITY_BINS: TableDoc = {
    "table": "Days to sale of sold units per band of price to market.",
    "columns": {
        "ptm_band": "Band of price to market (list price / market value).",
        "units": "Number of sold units in the band.",
        "mean_price_to_market": "Mean price to market in the band.",
        "mean_days_to_sale": "Mean days from stocking to sale in the band.",
        "median_days_to_sale": "Median days from stocking to sale in the band.",
        "ci_low": "Lower bound of the 95% confidence interval of mean_days_to_sale.",
        "ci_high": "Upper bound of the 95% confidence interval of mean_days_to_sale.",
    },
}

PRICING_EXPERIMENT: TableDoc = {
    "table": "Readout of the pricing experiment: treatment against control dealers per metric.",
    "columns": {
        "metric": "Outcome compared (e.g. gross_per_unit, days_to_sale).",
        "n_control": "Number of units sold by control dealers.",
        "n_treatment": "Number of units sold by treatment dealers.",
        "control_mean": "Mean of the metric at control dealers.",
        "treatment_mean": "Mean of the metric at treatment dealers.",
        "difference": "treatment_mean - control_mean.",
        "ci_low": "Lower bound of the difference's confidence interval.",
        "ci_high": "Upper bound of the difference's confidence interval.",
        "relative_effect": "difference / control_mean.",
        "relative_ci_low": "Lower bound of the relative effect's confidence interval.",
        "relative_ci_high": "Upper bound of the relative effect's confidence interval.",
        "p_value": "Two-sided p-value of the difference.",
        "significant": "Whether p_value is below 1 - confidence.",
        "method": "Test used (e.g. welch).",
        "experiment_dealers": "Treatment dealers, comma separated.",
        "confidence": "Confidence level of the intervals (0.95 = 95%).",
    },
}

_STAGE = (
    "The daily-sales seed's vocabulary, mapped from the segment: loyal (VIP, Loyal: repeat "
    "vehicle buyers), active (Service loyal, Active), potential (Potential, Service only, No "
    "purchases), inactive (At risk, Lapsed) or unsegmented."
)
_TIER = (
    "The Mint Classics vocabulary, from revenue_percent_rank: VIP (>= 0.9, the top tenth), "
    "less engaged (< 0.25), regular (between), no orders (no revenue)."
)
_FIGURES = {
    "recency_days": "Days from the customer's last vehicle purchase or service visit to the "
    "data's last day (as_of_date of marts.customer_rfm; empty without any activity).",
    "vehicle_purchases": "Vehicles bought (Loyal needs most of a segment at two or more).",
    "service_visits": "Service visits.",
    "revenue": "Lifetime revenue: vehicles plus service.",
    "revenue_percent_rank": "Percent rank of revenue among customers with any: (rank - 1) / "
    "(n - 1), ties sharing the lower rank; empty without revenue.",
}

CUSTOMER_SEGMENTS: TableDoc = {
    "table": "RFM segment of every customer, with the log features the clustering read.",
    "columns": {
        "customer_id": "Customer id.",
        "segment": "Segment name (VIP, Loyal, Service loyal, Active, Potential, Service only, "
        "At risk, Lapsed, No purchases; rule in ml.customers.naming).",
        "cluster": "Cluster number the segment name was given to (the highest number is the "
        "value leaders peeled off before k-means, when the data has them).",
        "log_recency": "log(1 + days since the last purchase).",
        "log_frequency": "log(1 + number of purchases).",
        "log_monetary": "log(1 + total purchase revenue).",
        "log_service_visits": "log(1 + number of service visits).",
        "log_service_revenue": "log(1 + total service revenue).",
        "lifecycle_stage": _STAGE,
        "engagement_tier": _TIER,
        **_FIGURES,
    },
}

CUSTOMER_LIFECYCLE: TableDoc = {
    "table": "View: the daily-sales seed's vocabulary (loyal / active / potential / inactive) "
    "for every customer, with the segment it is mapped from and the customer's figures; rows "
    "of ml.customer_segments.",
    "columns": {
        "customer_id": "Customer id.",
        "lifecycle_stage": _STAGE,
        "segment": "Segment the stage is mapped from (rule in ml.customers.naming).",
        **{c: _FIGURES[c] for c in ("recency_days", "vehicle_purchases", "service_visits",
                                    "revenue")},
    },
}

CUSTOMER_ENGAGEMENT: TableDoc = {
    "table": "View: the Mint Classics vocabulary (VIP / regular / less engaged / no orders) for "
    "every customer, with the revenue percent rank it is cut from; rows of "
    "ml.customer_segments.",
    "columns": {
        "customer_id": "Customer id.",
        "engagement_tier": _TIER,
        **{c: _FIGURES[c] for c in ("revenue", "revenue_percent_rank", "vehicle_purchases",
                                    "service_visits")},
    },
}

SEGMENT_PROFILES: TableDoc = {
    "table": "Profile of each customer segment: size, RFM averages, revenue and demographics.",
    "columns": {
        "segment": "Segment name.",
        "customers": "Number of customers in the segment.",
        "share": "Share of all customers.",
        "avg_recency_days": "Mean days since the last purchase.",
        "avg_frequency": "Mean number of purchases.",
        "avg_monetary": "Mean total purchase revenue per customer.",
        "avg_service_visits": "Mean number of service visits.",
        "avg_service_revenue": "Mean service revenue per customer.",
        "revenue": "Total revenue of the segment.",
        "revenue_share": "Share of all revenue.",
        "avg_annual_income": "Mean reported annual income.",
        "share_female": "Share of customers recorded as female.",
        "share_male": "Share of customers recorded as male.",
        "share_unknown_gender": "Share of customers with no recorded gender.",
        "fleet_share": "Share of fleet (business) customers.",
        "lifecycle_stage": "The segment in the daily-sales seed's vocabulary (loyal, active, "
        "potential, inactive).",
        "repeat_share": "Share of the segment who came back (bought twice, or bought and "
        "serviced).",
        "repeat_buyer_share": "Share of the segment who bought two or more vehicles: Loyal "
        "needs more than half, else recent frequent spenders are Service loyal.",
        "note": "What the name can and cannot claim for this source (e.g. no repeat buyers, "
        "or loyal to the workshop rather than repeat vehicle buyers).",
    },
}

CUSTOMER_LTV: TableDoc = {
    "table": "Predicted customer lifetime value over the horizon, per customer.",
    "columns": {
        "customer_id": "Customer id.",
        "ltv_group": "Group the LTV model was fitted in (e.g. retail, fleet).",
        "historical_revenue": "Revenue from the customer so far.",
        "historical_gross": "Gross profit from the customer so far.",
        "n_purchases": "Vehicle purchases so far.",
        "n_service_visits": "Service visits so far.",
        "tenure_months": "Months since the first transaction.",
        "recency_months": "Months since the last transaction.",
        "purchase_rate_month": "Estimated purchases per month while active.",
        "service_rate_month": "Estimated service visits per month while active.",
        "p_alive": "Probability the customer is still active.",
        "expected_purchases": "Expected purchases over the horizon (undiscounted).",
        "expected_service_visits": "Expected service visits over the horizon (undiscounted).",
        "predicted_revenue": "Predicted discounted revenue over the horizon.",
        "predicted_ltv": "Predicted discounted gross profit over the horizon (the LTV): the "
        "published method's value (see ltv_method), empty when not estimable.",
        "model_predicted_revenue": "The LTV model's own predicted revenue, published or not.",
        "model_predicted_ltv": "The LTV model's own predicted gross profit, published or not.",
        "naive_predicted_revenue": "The naive average's predicted revenue (the baseline).",
        "naive_predicted_ltv": "The naive average's predicted gross profit (the baseline).",
        "ltv_method": "What predicted_* holds: 'model', 'naive_average', 'zero' or none.",
        "ltv_status": "The verdict of ml.ltv_verdict: model, fallback, not estimable, "
        "not measured.",
        "segment": "RFM segment of the customer.",
        "horizon_months": "Months ahead the prediction covers.",
        "as_of_date": "Date the prediction is made at.",
    },
}

ACQUISITION_SPEND_GUIDE: TableDoc = {
    "table": "Most to spend to acquire a customer like each segment's, from predicted LTV.",
    "columns": {
        "segment": "Segment name.",
        "customers": "Number of customers in the segment.",
        "avg_predicted_ltv": "Mean predicted LTV (gross) in the segment.",
        "target_ltv_to_cac": "Target ratio of LTV to customer acquisition cost.",
        "max_acquisition_spend": "avg_predicted_ltv / target_ltv_to_cac.",
        "explanation": "The calculation in words.",
    },
}

LTV_VERDICT: TableDoc = {
    "table": "What ml.customer_ltv publishes as predicted lifetime value, and why (one row).",
    "columns": {
        "status": "'model', 'fallback' (a baseline beat the model), 'not estimable' (no repeat "
        "purchases in the source) or 'not measured' (no holdout).",
        "published": "What predicted_* holds: 'model', 'naive_average', 'zero' or 'none'.",
        "metric": "The holdout measure that decided it ('rmse' by default, or 'mae').",
        "reason": "The comparison in words: the model against zero and the naive average.",
        "repeat_customers": "Customers who bought more than once: 0 means LTV is not estimable.",
    },
}

LTV_HOLDOUT: TableDoc = {
    "table": "Holdout check of the LTV model against a naive forecast after a cutoff date.",
    "columns": {
        "method": "'model' (the LTV model) or the naive yardstick.",
        "mae": "Mean absolute error per customer over the holdout.",
        "rmse": "Root mean squared error per customer over the holdout.",
        "total_predicted": "Sum of predictions over all customers.",
        "total_actual": "Sum of actual values over all customers.",
        "customers": "Number of customers scored.",
        "cutoff": "Date the model was fitted up to.",
        "horizon_months": "Months after the cutoff that were predicted.",
        "value": "What was predicted: 'revenue' or 'gross'.",
        "bias": "total_predicted - total_actual.",
        "bias_share": "bias / total_actual.",
        "mae_beats_zero": "The model's MAE is below predicting zero's (model rows).",
        "mae_beats_naive": "The model's MAE is below the naive average's (model rows).",
        "rmse_beats_zero": "The model's RMSE is below predicting zero's (model rows).",
        "rmse_beats_naive": "The model's RMSE is below the naive average's (model rows).",
        "bias_beats_zero": "The model's total bias is smaller than predicting zero's.",
        "bias_beats_naive": "The model's total bias is smaller than the naive average's.",
        "published": "Whether this row's method is the one ml.customer_ltv publishes.",
    },
}

VIP_VS_REST: TableDoc = {
    "table": "The top segment against all other customers, metric by metric.",
    "columns": {
        "metric": "Metric compared.",
        "top": "Value for the top segment.",
        "rest": "Value for all other customers.",
        "difference": "top - rest.",
        "ratio": "top / rest (NaN when rest is 0).",
        "top_segment": "Name of the top segment (VIP if present).",
    },
}

LOW_STOCK_ALERTS: TableDoc = {
    "table": "Every alert the low_stock_sensor sent, one row per send, by kind: low_stock (open "
    "while the group is still low or critical in ml.stocking_plan) and stockout (open while "
    "ml.stockout_outlook still expects a stock-out before the next delivery).",
    "columns": {
        "alert_key": "One alert thread per dealer, group and kind: '<dealer_id>|<group_key>' "
        "(low_stock) or 'stockout|<dealer_id>|<group_key>' (stockout).",
        "kind": "low_stock (the stocking plan says low or critical) or stockout (the stock-out "
        "outlook expects the group to run out before the next delivery).",
        "dealer_id": "Dealer (rooftop) id.",
        "group_key": "Stocking group: '<make> <model>'.",
        "severity": "Severity when sent: critical or low (low_stock); warn (stockout).",
        "title": "The alert's headline as sent.",
        "created_at": "When the alert was sent (UTC).",
        "status": "'open' (the latest alert of its thread, and the latest plan or outlook "
        "still says so) or 'resolved' (a later alert of the thread superseded it; the group "
        "is no longer short; or, for stockout, no longer expected to run out before delivery: "
        "restocked, demand fell, or already out, which its low_stock alert carries).",
        "current_status": "The group's status today: in ml.stocking_plan (low_stock; 'not in "
        "plan' when absent) or in ml.stockout_outlook (stockout; 'not in outlook').",
        "units_on_hand": "Units on hand when the alert was sent.",
        "recommended_units": "Units the plan recommended buying when the alert was sent "
        "(low_stock; empty for stockout).",
        "max_buy_cost": "Most to pay per unit when the alert was sent (low_stock; empty for "
        "stockout).",
        "expected_units_before_delivery": "Units the outlook expected to sell before the next "
        "delivery when the alert was sent (stockout; empty for low_stock).",
        "next_delivery_date": "The next possible delivery when the alert was sent (stockout; "
        "empty for low_stock and for stockout alerts sent before this column existed).",
        "stockout_date": "The day the outlook expected the group to run out, when the alert "
        "was sent (stockout; empty for low_stock).",
        "days_to_stockout": "Days from the outlook's first day to stockout_date when the alert "
        "was sent (stockout; empty for low_stock and for older stockout alerts).",
        "lead_time_days": "Days to the next possible delivery the outlook assumed (stockout; "
        "empty for low_stock).",
    },
}

TABLES: dict[str, TableDoc] = {
    "ml.demand_forecast": DEMAND_FORECAST,
    "ml.forecast_accuracy": FORECAST_ACCURACY,
    "ml.forecast_accuracy_by_level": FORECAST_ACCURACY_BY_LEVEL,
    "ml.stocking_plan": STOCKING_PLAN,
    "ml.aged_inventory": AGED_INVENTORY,
    "ml.pricing_model_metrics": PRICING_MODEL_METRICS,
    "ml.market_value_predictions": MARKET_VALUE_PREDICTIONS,
    "ml.price_recommendations": PRICE_RECOMMENDATIONS,
    "ml.price_sensitivity": PRICE_SENSITIVITY,
    "ml.price_sensitivity_bins": PRICE_SENSITIVITY_BINS,
    "ml.pricing_experiment": PRICING_EXPERIMENT,
    "ml.customer_segments": CUSTOMER_SEGMENTS,
    "ml.customer_lifecycle": CUSTOMER_LIFECYCLE,
    "ml.customer_engagement": CUSTOMER_ENGAGEMENT,
    "ml.segment_profiles": SEGMENT_PROFILES,
    "ml.customer_ltv": CUSTOMER_LTV,
    "ml.acquisition_spend_guide": ACQUISITION_SPEND_GUIDE,
    "ml.ltv_holdout": LTV_HOLDOUT,
    "ml.ltv_verdict": LTV_VERDICT,
    "ml.vip_vs_rest": VIP_VS_REST,
    "ops.low_stock_alerts": LOW_STOCK_ALERTS,
}

# Daily forecasts (issue 18): ml.daily_backtest, ml.daily_backtest_series,
# ml.demand_forecast_daily and ml.stockout_outlook.
_DAILY_SERIES = "Series id: 'total', 'region=<r>', 'dealer=<id>', 'make=<m>' or 'model=<m>'."
_DAILY_LEVEL = "Hierarchy level of the series: total, region, dealer, make or model."
_DAILY_METHODS = (
    "daily_profile (ours: the weekly forecast split by a holiday-aware day-of-week profile), "
    "seasonal_naive_7 (the same weekday a week earlier) or weekly_split (the weekly forecast "
    "split by the plain day-of-week profile of the last 8 weeks)"
)
_DAILY_MODELS = {
    "daily_profile": "our daily model",
    "seasonal_naive_7": "seasonal naive with lag 7",
    "weekly_split": "the weekly forecast split by the day-of-week profile",
    "published": "the published forecast (each scored fold by the method its level chose on "
    "the older folds only: an honest holdout)",
}
DAILY_BACKTEST: TableDoc = {
    "table": "Rolling-origin backtest of the daily forecast per level (horizon 1-14 days, "
    "Sunday origins one week apart): our daily model against seasonal naive lag 7 and the "
    "weekly split, and the method each level publishes. The oldest fold only chooses; each "
    "scored fold's published forecast uses the method chosen on the folds before it.",
    "columns": {
        "level": _DAILY_LEVEL,
        "n_series": "Series of the level scored in the backtest.",
        "scored_folds": "Folds scored (all but the oldest, which only chooses); every column "
        "of MAE, sMAPE and MASE averages these folds.",
        "chosen_method": f"Method the level publishes next: {_DAILY_METHODS}, chosen on all "
        "folds; the daily model only where its mean MASE is below both baselines' (seasonal "
        "naive's by at least 2%).",
        **{
            f"{metric}_{model}": f"Mean over the level's series of the {name} of {label}."
            for model, label in _DAILY_MODELS.items()
            for metric, name in (
                ("mae", "MAE (units per day)"),
                ("smape", "sMAPE (0-200)"),
                ("mase", "MASE (scaled by in-sample seasonal-naive-7 MAE)"),
            )
        },
        "mase_ratio_to_seasonal_naive": "mase_published over mase_seasonal_naive_7 (below 1: "
        "the published forecast beats seasonal naive).",
        "published_beats_seasonal_naive": "True when mase_published is below "
        "mase_seasonal_naive_7.",
    },
}
DAILY_BACKTEST_SERIES: TableDoc = {
    "table": "The daily backtest per series and model (daily_profile, seasonal_naive_7, "
    "weekly_split, published), pooled over the scored folds (all but the oldest, which only "
    "chooses).",
    "columns": {
        "level": _DAILY_LEVEL,
        "unique_id": _DAILY_SERIES,
        "model": "daily_profile, seasonal_naive_7, weekly_split, or published (each fold by the "
        "method chosen on the older folds only).",
        "method": f"Method behind the row's forecasts: {_DAILY_METHODS}; for published, the "
        "one used on most scored folds.",
        "chosen_method": "Method ml.demand_forecast_daily publishes for this series (chosen on "
        "all folds).",
        "mae": "Mean absolute error, units per day.",
        "rmse": "Root mean squared error, units per day (the published row's sets the spread "
        "of the daily intervals).",
        "smape": "Symmetric MAPE, 0-200 (0/0 counts as 0).",
        "mase": "Mean absolute error over each fold's in-sample seasonal-naive-7 MAE.",
        "folds": "Backtest folds that scored the series.",
        "n_obs": "Days scored.",
    },
}
DEMAND_FORECAST_DAILY: TableDoc = {
    "table": "Daily unit sales forecast for the next 14 days per series, with 80% and 95% "
    "intervals: the weekly forecast split into days (each complete week sums to "
    "ml.demand_forecast) or seasonal naive lag 7 where the daily backtest chose it.",
    "columns": {
        "unique_id": _DAILY_SERIES,
        "level": _DAILY_LEVEL,
        "date": "Forecast day.",
        "units_forecast": "Forecast units sold that day.",
        "units_lower_80": "Lower bound of the 80% prediction interval, in units.",
        "units_upper_80": "Upper bound of the 80% prediction interval, in units.",
        "units_lower_95": "Lower bound of the 95% prediction interval, in units.",
        "units_upper_95": "Upper bound of the 95% prediction interval, in units.",
        "method": f"Published method of the series ({_DAILY_METHODS}), chosen per level by "
        "ml.daily_backtest.",
        "week_units_forecast": "Forecast of the day's Monday-to-Sunday week that the days are "
        "split from (ml.demand_forecast, or 7 x the daily rate without one).",
        "level_source": "Where the week's level comes from: weekly_forecast "
        "(ml.demand_forecast), daily_ses or daily_tsb (the series' own daily rate, when the "
        "weekly forecast lacks it).",
        "reconciled": "True when the series' complete weeks sum to its weekly forecast (false "
        "where seasonal naive is published or the weekly forecast lacks the series).",
        "forecast_origin": "Last day of sales history the forecast was made from.",
    },
}
STOCKOUT_OUTLOOK: TableDoc = {
    "table": "Short-horizon stock-out outlook per dealer and stocking group: units expected "
    "to sell before the next possible delivery against units on hand, and the day a "
    "stock-out is likely (from ml.demand_forecast_daily and ml.stocking_plan).",
    "columns": {
        "dealer_id": "Rooftop.",
        "group_key": "Stocking group (make and model), as in ml.stocking_plan.",
        "units_on_hand": "Units in stock on the plan date.",
        "weekly_demand": "Forecast weekly demand of the group at the dealer (ml.stocking_plan).",
        "plan_date": "First day of the outlook (the day after the last sale).",
        "lead_time_days": "Days until the next possible delivery (asset config).",
        "next_delivery_date": "plan_date plus lead_time_days.",
        "expected_units_before_delivery": "Units expected to sell from plan_date up to the day "
        "before the next delivery, spread by the dealer's daily forecast.",
        "expected_units_14d": "Units expected to sell in the 14 days of the daily forecast.",
        "stockout_date": "First day the chance that demand has reached the units on hand is "
        "at least 50% (Poisson); empty when not within 14 days.",
        "days_to_stockout": "Days from plan_date to stockout_date (0: the first day).",
        "status": "stockout_before_delivery (alerted), covered, out_of_stock (nothing on hand; "
        "the plan's low/critical alert covers it) or slow_mover (bought to order).",
    },
}
TABLES.update({
    "ml.daily_backtest": DAILY_BACKTEST,
    "ml.daily_backtest_series": DAILY_BACKTEST_SERIES,
    "ml.demand_forecast_daily": DEMAND_FORECAST_DAILY,
    "ml.stockout_outlook": STOCKOUT_OUTLOOK,
})
