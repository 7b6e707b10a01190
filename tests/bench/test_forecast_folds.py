"""The per-fold benchmark scores the history rule exactly as a one-fold backtest does."""

from __future__ import annotations

import pytest

from bench.forecast_folds import by_fold
from ml.forecasting import accuracy_by_level
from ml.forecasting.backtest import evaluate
from ml.forecasting.synthetic import make_hierarchy


def test_one_fold_of_the_history_rule_equals_the_one_fold_backtest_and_folds_pool():
    series = make_hierarchy(n_series=30, weeks=104, random_state=7)
    # One origin: the backtest has no older fold to choose on and scores the history rule.
    table = accuracy_by_level(evaluate(series, horizon=12, folds=1, n_jobs=2).scores)
    expected = table.set_index("level")["mase_ratio"].drop("all")
    assert by_fold(series, horizon=12, folds=1).loc["folds 1"].to_dict() == pytest.approx(
        expected.to_dict())
    three = by_fold(series, horizon=12, folds=3)
    assert list(three.index) == ["folds 1", "folds 2", "folds 3", "folds 1,2", "folds 1,2,3"]
    assert three.loc["folds 1"].to_dict() == pytest.approx(expected.to_dict())
