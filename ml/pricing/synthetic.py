"""Generated sold units, experiments and sales with known structure, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

# make, model, body style, new price, yearly value retention
NAMEPLATES = [
    ("Toyota", "Camry", "Sedan", 28_000, 0.90),
    ("Toyota", "RAV4", "SUV", 32_000, 0.91),
    ("Honda", "Civic", "Sedan", 24_000, 0.90),
    ("Honda", "CR-V", "SUV", 31_000, 0.90),
    ("Ford", "F-150", "Truck", 45_000, 0.92),
    ("Ford", "Escape", "SUV", 29_000, 0.86),
    ("Chevrolet", "Silverado", "Truck", 44_000, 0.91),
    ("Chevrolet", "Malibu", "Sedan", 25_000, 0.85),
    ("Nissan", "Altima", "Sedan", 26_000, 0.86),
    ("Jeep", "Wrangler", "SUV", 38_000, 0.93),
    ("BMW", "3 Series", "Sedan", 45_000, 0.84),
    ("Hyundai", "Tucson", "SUV", 28_000, 0.87),
]
TRIMS = {"Base": 1.00, "Mid": 1.09, "Top": 1.20}
REGIONS = {"North": 1.00, "South": 0.96, "East": 1.04, "West": 1.02}
SALE_YEAR = 2024


def sold_units(
    n: int = 2500, random_state: int = 0, noise: float = 0.05
) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and sale prices with a known structure.

    price = new price x trim x retention^age x mileage x condition x region x season
    x new-car premium x lognormal noise (``noise`` is its sigma).
    """
    rng = np.random.default_rng(random_state)
    plate = rng.integers(0, len(NAMEPLATES), n)
    make, model, body, new_price, keep = (
        np.array(c, dtype=object) for c in zip(*NAMEPLATES, strict=True)
    )
    age = rng.integers(0, 9, n)
    trim = rng.choice(list(TRIMS), n)
    region = rng.choice(list(REGIONS), n)
    month = rng.integers(1, 13, n)
    stock_type = np.where((age == 0) & (rng.random(n) < 0.7), "new", "used")
    mileage = np.where(
        stock_type == "new",
        rng.integers(5, 50, n),
        (age + 0.3) * 12_000 * rng.lognormal(0, 0.45, n),
    ).round()
    grade = np.where(stock_type == "new", 5.0, rng.integers(2, 11, n) / 2)
    expected_miles = (age + 0.3) * 12_000
    price = (
        new_price[plate].astype(float)
        * np.array([TRIMS[t] for t in trim])
        * keep[plate].astype(float) ** age
        * np.exp(-0.004 * (mileage - expected_miles) / 1_000)
        * (1 + 0.06 * (grade - 3.5))
        * np.array([REGIONS[r] for r in region])
        * (1 + 0.02 * np.sin(2 * np.pi * month / 12))
        * np.where(stock_type == "new", 1.05, 1.0)
        * rng.lognormal(0, noise, n)
    )
    X = pd.DataFrame(
        {
            "make": make[plate],
            "model": model[plate],
            "trim": trim,
            "model_year": SALE_YEAR - age,
            "mileage": mileage,
            "condition_grade": grade,
            "body_style": body[plate],
            "region": region,
            "sale_month": month,
            "stock_type": stock_type,
        }
    ).astype({"make": str, "model": str, "body_style": str})
    # Real feeds miss fields; the model must cope.
    X.loc[rng.random(n) < 0.05, "condition_grade"] = np.nan
    X.loc[rng.random(n) < 0.03, "trim"] = np.nan
    return X, price.round(-1)


def experiment_sales(
    n_per_arm: int = 800, gross_effect: float = 0.0, days_effect: float = 0.0, random_state: int = 0
) -> pd.DataFrame:
    """Sold units randomised between 'standard' and 'aggressive' pricing with planted effects."""
    rng = np.random.default_rng(random_state)
    arm = np.repeat(["standard", "aggressive"], n_per_arm)
    treated = arm == "aggressive"
    cost = rng.normal(22_000, 5_000, 2 * n_per_arm)
    gross = rng.normal(2_000, 900, 2 * n_per_arm) + gross_effect * treated
    days = rng.gamma(2.0, 20.0, 2 * n_per_arm) + days_effect * treated
    return pd.DataFrame(
        {
            "stock_number": [f"S{i:05d}" for i in range(2 * n_per_arm)],
            "pricing_strategy": arm,
            "total_cost": cost.round(2),
            "sale_price": (cost + gross).round(2),
            "days_to_sale": days.clip(0),
        }
    )


def sensitivity_sales(
    n: int = 3000, elasticity: float = 4.0, random_state: int = 0
) -> pd.DataFrame:
    """Sold units whose log(1 + days to sale) rises by ``elasticity`` x log(price to market)."""
    rng = np.random.default_rng(random_state)
    make = rng.choice(["Toyota", "Ford", "BMW"], n)
    region = rng.choice(list(REGIONS), n)
    ptm = rng.normal(1.0, 0.05, n).clip(0.8, 1.2)
    make_effect = pd.Series(make).map({"Toyota": -0.2, "Ford": 0.0, "BMW": 0.3}).to_numpy()
    log_days = 3.3 + elasticity * np.log(ptm) + make_effect + rng.normal(0, 0.4, n)
    return pd.DataFrame(
        {"make": make, "region": region, "price_to_market": ptm, "days_to_sale": np.expm1(log_days)}
    )
