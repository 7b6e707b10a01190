"""A picture of one series: its history, our forecast and the 80% and 95% bands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plot_actual_vs_forecast(
    history: pd.DataFrame, forecast: pd.DataFrame, unique_id: str, last_periods: int = 104
) -> Figure:
    """Line chart of `unique_id`: the last `last_periods` actuals, the forecast and its bands.

    `history` is the long input (unique_id, ds, y); `forecast` is the output of `forecast`.
    The figure draws on the Agg canvas without pyplot, so it works in servers and workers
    and leaves the caller's matplotlib backend alone; save it with `fig.savefig(...)`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    past = history[history["unique_id"] == unique_id].sort_values("ds").tail(last_periods)
    ahead = forecast[forecast["unique_id"] == unique_id].sort_values("ds")
    if past.empty and ahead.empty:
        raise ValueError(f"unique_id={unique_id!r} is in neither the history nor the forecast.")
    fig = Figure(figsize=(9, 3.6))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot(past["ds"], past["y"], color="#333333", linewidth=1.2, label="actual")
    if not ahead.empty:
        for lower, upper, alpha, name in (("yhat_lower_95", "yhat_upper_95", 0.15, "95%"),
                                          ("yhat_lower", "yhat_upper", 0.3, "80%")):
            if lower in ahead and upper in ahead:
                ax.fill_between(ahead["ds"], ahead[lower], ahead[upper], color="#1f77b4",
                                alpha=alpha, linewidth=0, label=f"{name} interval")
        method = ahead["method"].iloc[0] if "method" in ahead else "forecast"
        ax.plot(ahead["ds"], ahead["yhat"], color="#1f77b4", linewidth=1.6,
                label=f"forecast ({method})")
    ax.set_title(unique_id)
    ax.set_ylabel("units")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def plot_daily_backtest(by_level: pd.DataFrame) -> Figure:
    """Bars of mean MASE per level: our daily model, the two baselines and what is published."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    models = [("daily_profile", "daily model (ours)"), ("seasonal_naive_7", "seasonal naive 7"),
              ("weekly_split", "weekly split"), ("published", "published")]
    fig = Figure(figsize=(9, 3.6))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    width = 0.8 / len(models)
    for k, (model, label) in enumerate(models):
        positions = [i + (k - 1.5) * width for i in range(len(by_level))]
        ax.bar(positions, by_level[f"mase_{model}"], width=width, label=label)
    ax.set_xticks(range(len(by_level)))
    ax.set_xticklabels(f"{lv}\n({m})" for lv, m in zip(by_level["level"],
                                                      by_level["chosen_method"], strict=True))
    ax.axhline(1.0, color="#999999", linewidth=0.8)
    ax.set_ylabel("mean MASE (lower is better)")
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=4)
    fig.tight_layout()
    return fig
