"""A throw-away PostgreSQL cluster for the tests that run Dagster on Postgres storage.

Debian's `postgresql` package provides the binaries (`make install` and `.ci/run` install it).
Postgres refuses to run as root, so as root the cluster is created and run by the `postgres`
user, in a temporary folder that user owns; it listens on 127.0.0.1 only and is stopped and
deleted at the end.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def unavailable_reason() -> str | None:
    """Why a cluster cannot be started here, or None."""
    if postgres_bin() is None:
        return (
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb missing): "
            "apt-get install -y postgresql, or make install"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run the cluster as"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is missing (dagster-postgres installs it): make install"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    port: int

    def create_database(self, name: str) -> str:
        """A new, empty database; its SQLAlchemy URL for dagster-postgres."""
        import psycopg2

        conn = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres"
        )
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
        conn.close()
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    bin_dir = postgres_bin()
    assert bin_dir is not None, unavailable_reason()
    root = Path(tempfile.mkdtemp(prefix="forecourt-pg-"))
    data, sockets, port = root / "data", root / "sockets", _free_port()
    sockets.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, text=True)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
        "-w", "start")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield Cluster(port)
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
