"""The group's rooftops: where they are, how big, which brands they sell new, which test prices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .places import REGION_NAMES, REGIONS

# Brands a rooftop can hold a franchise for; new units only come from its franchises.
FRANCHISES = (
    "Toyota",
    "Honda",
    "Ford",
    "Chevrolet",
    "Nissan",
    "Hyundai",
    "Kia",
    "Subaru",
    "Jeep",
    "Ram",
    "GMC",
    "Mazda",
    "Volkswagen",
    "BMW",
    "Mercedes-Benz",
    "Lexus",
)
_FRANCHISE_WEIGHTS = np.array([14, 10, 12, 12, 7, 6, 6, 5, 5, 4, 4, 4, 3, 3, 3, 2], dtype=float)
_SUFFIXES = ("", " North", " South", " East", " West", " Central")


@dataclass(frozen=True)
class Dealers:
    """Rooftops as parallel sequences, indexed by dealer number - 1."""

    ids: np.ndarray  # D01, D02, ... (object array, for fancy indexing)
    names: list[str]
    cities: np.ndarray
    area_codes: np.ndarray
    region: np.ndarray  # index into REGION_NAMES
    opened: list[dt.date]
    experiment: np.ndarray  # randomises units between pricing strategies
    size: np.ndarray  # demand relative to an average rooftop
    franchise: np.ndarray  # dealers x makes, True where the rooftop sells that make new

    def __len__(self) -> int:
        return len(self.ids)

    def columns(self) -> dict[str, object]:
        """The rows of the dealers reference feed."""
        return {
            "dealer_id": self.ids,
            "dealer_name": self.names,
            "city": self.cities,
            "region": [REGION_NAMES[r] for r in self.region],
            "country": "USA",
            "opened_date": [d.isoformat() for d in self.opened],
            "in_pricing_experiment": self.experiment,
        }


def build_dealers(
    n: int, start: dt.date, rng: np.random.Generator, make_names: list[str]
) -> Dealers:
    """n rooftops; regions are dealt round-robin so five or more cover every region."""
    region = np.arange(n) % len(REGION_NAMES)
    city_order = [rng.permutation(len(REGIONS[r])) for r in REGION_NAMES]
    cities, codes, names = [], [], []
    weights = _FRANCHISE_WEIGHTS / _FRANCHISE_WEIGHTS.sum()
    franchise = np.zeros((n, len(make_names)), dtype=bool)
    for i in range(n):
        places = REGIONS[REGION_NAMES[region[i]]]
        k = i // len(REGION_NAMES)  # the k-th rooftop in its region
        city, code = places[city_order[region[i]][k % len(places)]]
        lap = k // len(places)
        suffix = _SUFFIXES[lap] if lap < len(_SUFFIXES) else f" {lap + 1}"
        brands = rng.choice(len(FRANCHISES), size=2, replace=False, p=weights)
        for b in brands:
            franchise[i, make_names.index(FRANCHISES[b])] = True
        cities.append(city)
        codes.append(code)
        names.append(f"{FRANCHISES[brands[0]]} of {city}{suffix}")
    opened = [
        dt.date(int(rng.integers(1975, start.year - 1)), int(rng.integers(1, 13)), int(d))
        for d in rng.integers(1, 29, n)
    ]
    # About a third of rooftops run the pricing test; two at least once the group has six.
    n_test = max(1, round(n / 3), 2 if n >= 6 else 0)
    experiment = np.zeros(n, dtype=bool)
    experiment[rng.choice(n, size=n_test, replace=False)] = True
    size = rng.lognormal(0.0, 0.3, n)
    return Dealers(
        ids=np.array([f"D{i + 1:02d}" for i in range(n)], dtype=object),
        names=names,
        cities=np.array(cities, dtype=object),
        area_codes=np.array(codes, dtype=object),
        region=region,
        opened=opened,
        experiment=experiment,
        size=size / size.mean(),
        franchise=franchise,
    )
