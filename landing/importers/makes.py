"""Full names of car makes, to expand the ones a fixed-width export cut short.

The list is meant to be complete for what a dealer in North America or Europe sells or takes in
trade (current and defunct marques), not fitted to one export. An export's own values add to
it: a make written in full somewhere in the export is a full name even when the list lacks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from landing.importers.cleaning import expand_truncated

KNOWN_MAKES = (
    "Abarth", "Acura", "Alfa Romeo", "Alpine", "AMC", "Aston Martin", "Audi", "Austin",
    "Bentley", "BMW", "Bugatti", "Buick", "BYD", "Cadillac", "Chevrolet", "Chrysler",
    "Citroën", "Cupra", "Dacia", "Daewoo", "Daihatsu", "Datsun", "DeLorean", "DeSoto", "Dodge",
    "DS", "Eagle", "Ferrari", "Fiat", "Fisker", "Ford", "Genesis", "Geo", "GMC", "Holden",
    "Honda", "Hummer", "Hyundai", "Ineos", "Infiniti", "International Harvester", "Isuzu",
    "Jaguar", "Jeep", "Kia", "Lada", "Lamborghini", "Lancia", "Land Rover", "Lexus", "Lincoln",
    "Lotus", "Lucid", "Maserati", "Maybach", "Mazda", "McLaren", "Mercedes-AMG",
    "Mercedes-Benz", "Mercury", "MG", "Mini", "Mitsubishi", "Nissan", "Oldsmobile", "Opel",
    "Packard", "Peugeot", "Plymouth", "Polestar", "Pontiac", "Porsche", "Ram", "Renault",
    "Rivian", "Rolls-Royce", "Rover", "Saab", "Saturn", "Scion", "Seat", "Škoda", "Smart",
    "SsangYong", "Studebaker", "Subaru", "Suzuki", "Tesla", "Toyota", "Triumph", "Vauxhall",
    "VinFast", "Volkswagen", "Volvo",
)  # fmt: skip


def make_repairs(values: Iterable[str], known: tuple[str, ...] = KNOWN_MAKES) -> dict[str, str]:
    """{cut value: full name} for the makes of one export.

    Full names are the known makes plus every value of the export that no other value of it
    extends ("Mercedes-Benz" written in full on some rows). A value that is not a full name is
    expanded when exactly one full name starts with it; anything else is left alone.
    """
    distinct = {v for v in values if v}
    written_in_full = {v for v in distinct if not any(o != v and o.startswith(v) for o in distinct)}
    full = tuple(dict.fromkeys([*known, *sorted(written_in_full)]))
    repairs = {}
    for value in sorted(distinct - set(known)):
        expanded, changed = expand_truncated(value, tuple(f for f in full if f != value))
        if changed:
            repairs[value] = expanded
    return repairs
