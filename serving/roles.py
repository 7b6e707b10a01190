"""Roles for the serving copies, read from ``roles.toml``: who sees which rows and columns.

A role is a name (its file is ``serving/<name>.duckdb``), a personal-data level (``full`` or
``masked``), optionally the dealers it is limited to, and optionally the OS ``group`` owning its
file and the file's ``mode`` (read bits only). The ``[pii]`` section says what masking does to
each personal column and how small a group of people a masked copy may describe
(``min_group_size``); ``[scoping]`` lists the group-wide tables a dealer-scoped role may still
read.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ROLES_FILE = Path(__file__).with_name("roles.toml")
FULL_COPY = "forecourt"  # serving/forecourt.duckdb: every table, unmasked, for the pipeline
PII_LEVELS = ("full", "masked")
ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# The bands masking can compute; a band column already in the table is kept as it is.
KNOWN_BANDS = ("income_band", "age_band")
# k of k-anonymity for aggregates in a masked copy: a row describing fewer people is withheld.
MIN_GROUP_SIZE = 5
# Columns that count the people behind an aggregate row. Counts of sales (units) do not
# qualify: five cars bought by one customer are one person. A deployment that accepts another
# count lists it under [pii] group_size.
GROUP_SIZE_COLUMNS = ("customers", "buyers", "n_customers", "buying_customers", "people")
READ_BITS = 0o444


class RolesConfigError(ValueError):
    """roles.toml says something that cannot be applied; the message names the key."""


@dataclass(frozen=True)
class Role:
    name: str
    pii: str = "masked"
    dealers: tuple[str, ...] | None = None  # None: every dealer
    description: str = ""
    group: str | None = None  # OS group owning serving/<name>.duckdb; None: keep the file's
    mode: int | None = None  # e.g. 0o440; None: keep the file's (new files: 0o440)

    @property
    def file_name(self) -> str:
        return f"{self.name}.duckdb"

    @property
    def masked(self) -> bool:
        return self.pii == "masked"


@dataclass(frozen=True)
class PiiRules:
    hash: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    band: dict[str, str] = field(default_factory=dict)
    min_group_size: int = MIN_GROUP_SIZE
    group_size: tuple[str, ...] = GROUP_SIZE_COLUMNS


@dataclass(frozen=True)
class RolesConfig:
    roles: tuple[Role, ...]
    pii: PiiRules
    schemas: tuple[str, ...] = ("marts", "ml", "ops")
    group_tables: tuple[str, ...] = ()
    source: Path = DEFAULT_ROLES_FILE

    def role(self, name: str) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        known = ", ".join(r.name for r in self.roles)
        raise RolesConfigError(f"No role {name!r} in {self.source} (roles: {known}).")


def roles_file() -> Path:
    return Path(os.environ.get("FORECOURT_ROLES") or DEFAULT_ROLES_FILE)


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RolesConfigError(f"{where} must be a list of non-empty strings, not {value!r}.")
    return tuple(value)


def _role(name: str, body: dict, source: Path) -> Role:
    where = f"{source}: [roles.{name}]"
    if not ROLE_NAME.match(name) or name == FULL_COPY:
        raise RolesConfigError(
            f"{where}: a role name is lower case letters, digits and _ (it names a file), "
            f"and {FULL_COPY!r} is reserved for the full copy."
        )
    unknown = set(body) - {"pii", "dealers", "description", "group", "mode"}
    if unknown:
        raise RolesConfigError(
            f"{where}: unknown keys {sorted(unknown)}; use pii, dealers, description, group, mode."
        )
    pii = body.get("pii", "masked")
    if pii not in PII_LEVELS:
        raise RolesConfigError(f"{where}: pii = {pii!r}; use one of {PII_LEVELS}.")
    dealers = body.get("dealers")
    if dealers is not None:
        dealers = _strings(dealers, f"{where} dealers")
    group = body.get("group")
    if group is not None and (not isinstance(group, str) or not group):
        raise RolesConfigError(f"{where}: group = {group!r}; give an OS group name.")
    return Role(name, pii, dealers, str(body.get("description", "")), group, _mode(body, where))


def _mode(body: dict, where: str) -> int | None:
    """``mode = "0440"`` (a string, as chmod takes it): read bits only, a copy is never written."""
    value = body.get("mode")
    if value is None:
        return None
    try:
        mode = int(value, 8) if isinstance(value, str) else None
    except ValueError:
        mode = None
    if mode is None or mode & ~READ_BITS or not mode & 0o400:
        raise RolesConfigError(
            f'{where}: mode = {value!r}; give read bits as an octal string, e.g. "0440" '
            "(owner and group read; serving copies are never writable)."
        )
    return mode


def load_roles(path: Path | None = None) -> RolesConfig:
    """Read and check a roles file (default: FORECOURT_ROLES, else the packaged roles.toml)."""
    path = Path(path) if path else roles_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RolesConfigError(f"Roles file {path} does not exist (FORECOURT_ROLES?).") from None
    except tomllib.TOMLDecodeError as exc:
        raise RolesConfigError(f"{path} is not valid TOML: {exc}") from None
    roles = tuple(_role(name, body, path) for name, body in data.get("roles", {}).items())
    if not roles:
        raise RolesConfigError(f"{path} defines no [roles.<name>] section.")
    pii = data.get("pii", {})
    band = dict(pii.get("band", {}))
    for column, target in band.items():
        if target not in KNOWN_BANDS:
            raise RolesConfigError(
                f"{path}: [pii] band {column} = {target!r}; bands known: {KNOWN_BANDS}."
            )
    return RolesConfig(
        roles=roles,
        pii=PiiRules(
            hash=_strings(pii.get("hash", []), f"{path}: [pii] hash"),
            drop=_strings(pii.get("drop", []), f"{path}: [pii] drop"),
            band=band,
            min_group_size=_group_size(pii.get("min_group_size", MIN_GROUP_SIZE), path),
            group_size=_strings(
                pii.get("group_size", list(GROUP_SIZE_COLUMNS)), f"{path}: [pii] group_size"
            ),
        ),
        schemas=_strings(
            data.get("serving", {}).get("schemas", ["marts", "ml", "ops"]),
            f"{path}: [serving] schemas",
        ),
        group_tables=_strings(
            data.get("scoping", {}).get("group_tables", []), f"{path}: [scoping] group_tables"
        ),
        source=path,
    )


def _group_size(value, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < MIN_GROUP_SIZE:
        raise RolesConfigError(
            f"{path}: [pii] min_group_size = {value!r}; give a whole number of at least "
            f"{MIN_GROUP_SIZE} (smaller groups can single out a person)."
        )
    return value
