"""The serving layer: read-only copies of the marts and ML outputs for analysts and operators.

``publish`` writes ``FORECOURT_HOME/serving/forecourt.duckdb`` and one file per role
(``roles.toml``); ``connect_safe`` opens one of them the way Forecourt's own readers do: read
only, no access to any other file, configuration locked.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from landing.home import ForecourtHome
from serving.roles import FULL_COPY

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

SALT_FILE = ".pii_salt"
SAFE_CONFIG = {
    "enable_external_access": False,  # no read_csv('/etc/...'), ATTACH, COPY TO, extensions
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,  # and no SET to undo the above
}


def serving_path(role: str | None = None, home: ForecourtHome | None = None) -> Path:
    """serving/forecourt.duckdb (the full copy), or serving/<role>.duckdb."""
    home = home or ForecourtHome.from_env()
    return home.serving / f"{role or FULL_COPY}.duckdb"


def connect_safe(
    path: Path | str | None = None,
    *,
    role: str | None = None,
    threads: int = 2,
    memory_limit: str = "2GB",
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a serving copy that cannot reach other files or unlock itself."""
    import duckdb

    path = Path(path) if path else serving_path(role)
    if not path.exists():
        raise FileNotFoundError(
            f"No serving copy at {path}: run the daily refresh or 'forecourt publish' first."
        )
    config = {**SAFE_CONFIG, "threads": threads, "memory_limit": memory_limit}
    return duckdb.connect(str(path), read_only=True, config=config)


def pii_salt(home: ForecourtHome, configured: str | None) -> tuple[str, str]:
    """The salt for hashed identifiers and where it came from.

    FORECOURT_PII_SALT wins; without it a random salt is generated once and kept in
    FORECOURT_HOME/.pii_salt (mode 600, outside the serving folder), so hashes stay stable
    from one publish to the next and cannot be reversed by hashing known phone numbers.
    """
    if configured:
        return configured, "FORECOURT_PII_SALT"
    path = home.root / SALT_FILE
    if not path.exists():
        home.root.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip(), str(path)
