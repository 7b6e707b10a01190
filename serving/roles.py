"""Roles for the serving copies, read from ``roles.toml``: who sees which rows and columns.

A role is a name (its file is ``serving/<name>.duckdb``), a personal-data level (``full`` or
``masked``) and optionally the dealers it is limited to. The ``[pii]`` section says what
masking does to each personal column; ``[scoping]`` lists the group-wide tables a
dealer-scoped role may still read.
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


class RolesConfigError(ValueError):
    """roles.toml says something that cannot be applied; the message names the key."""


@dataclass(frozen=True)
class Role:
    name: str
    pii: str = "masked"
    dealers: tuple[str, ...] | None = None  # None: every dealer
    description: str = ""

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
    unknown = set(body) - {"pii", "dealers", "description"}
    if unknown:
        raise RolesConfigError(f"{where}: unknown keys {sorted(unknown)}; use pii, dealers.")
    pii = body.get("pii", "masked")
    if pii not in PII_LEVELS:
        raise RolesConfigError(f"{where}: pii = {pii!r}; use one of {PII_LEVELS}.")
    dealers = body.get("dealers")
    if dealers is not None:
        dealers = _strings(dealers, f"{where} dealers")
    return Role(name, pii, dealers, str(body.get("description", "")))


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
