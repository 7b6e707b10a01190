"""Customer records as the DMS holds them: demographics and (fictional) contact details."""

from __future__ import annotations

import numpy as np

from .customers import CustomerPool
from .dealers import Dealers
from .places import (
    EMAIL_DOMAINS,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    FLEET_SUFFIXES,
    FLEET_TRADES,
    LAST_NAMES,
    REGION_NAMES,
    REGIONS,
)

_F = np.array(FIRST_NAMES_F, dtype=object)
_M = np.array(FIRST_NAMES_M, dtype=object)
_LAST = np.array(LAST_NAMES, dtype=object)
_CITY = np.array([[c for c, _ in REGIONS[r]] for r in REGION_NAMES], dtype=object)
_AREA = np.array([[a for _, a in REGIONS[r]] for r in REGION_NAMES], dtype=object)
_GENDERS = np.array(["F", "M", "U"], dtype=object)


def customer_rows(
    pool: CustomerPool,
    rows: np.ndarray,
    first_price: np.ndarray,
    dealers: Dealers,
    day: str,
    rng: np.random.Generator,
) -> dict[str, object]:
    """Rows of the customers feed for new customers; first_price is what each paid for their
    first unit (NaN for service-only customers) and anchors their income."""
    n = len(rows)
    fleet = pool.fleet[rows]
    dealer = pool.dealer[rows]
    gender = _GENDERS[np.searchsorted([0.485, 0.97], rng.random(n), side="right")]
    female = (gender == "F") | ((gender == "U") & (rng.random(n) < 0.5))
    first = np.where(female, _F[rng.integers(0, len(_F), n)], _M[rng.integers(0, len(_M), n)])
    last = _LAST[rng.integers(0, len(_LAST), n)]
    age = np.clip(np.round(rng.normal(46, 15, n)), 18, 90)
    income = np.where(
        np.isnan(first_price),
        rng.lognormal(np.log(68_000), 0.55, n),
        np.nan_to_num(first_price) * 2.6 * rng.lognormal(0.0, 0.4, n),
    )
    income = np.clip(np.round(income), 15_000, 5_000_000)
    region = dealers.region[dealer]
    other = rng.integers(0, _CITY.shape[1], n)
    home = rng.random(n) < 0.7  # most buyers live in the rooftop's own city
    city = np.where(home, dealers.cities[dealer], _CITY[region, other])
    area = np.where(home, dealers.area_codes[dealer], _AREA[region, other])
    trades = rng.integers(0, len(FLEET_TRADES), n)
    suffixes = rng.integers(0, len(FLEET_SUFFIXES), n)
    numbers = rng.integers(0, 10_000, n)
    tags = rng.integers(1, 1000, n)
    domains = rng.integers(0, len(EMAIL_DOMAINS), n)
    no_phone = rng.random(n) < 0.04
    no_email = rng.random(n) < 0.08
    company, phone, email = [], [], []
    for i in range(n):
        fn, ln = first[i], last[i]
        name = f"{ln} {FLEET_TRADES[trades[i]]} {FLEET_SUFFIXES[suffixes[i]]}" if fleet[i] else None
        company.append(name)
        phone.append(None if no_phone[i] else f"({area[i]}) 555-{numbers[i]:04d}")
        if no_email[i]:
            email.append(None)
        elif fleet[i]:
            slug = name.lower().replace(" ", "")
            email.append(f"{fn[0]}{ln}@{slug}.example.com".lower())
        else:
            tag = f"{tags[i]}" if tags[i] % 3 else ""
            email.append(f"{fn}.{ln}{tag}@{EMAIL_DOMAINS[domains[i]]}".lower())
    return {
        "customer_id": [f"C{k + 1:07d}" for k in rows.tolist()],
        "customer_type": np.where(fleet, "fleet", "retail"),
        "first_name": first,
        "last_name": last,
        "company_name": company,
        "gender": np.where(fleet, None, gender),
        "age": np.where(fleet, np.nan, age),
        "annual_income": np.where(fleet, np.nan, income),
        "city": city,
        "region": np.array(REGION_NAMES, dtype=object)[region],
        "phone": phone,
        "email": email,
        "created_date": day,
    }
