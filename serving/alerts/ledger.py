"""What has been alerted, in one place every evaluator of a home reads: alerts exactly once.

The CLI (``forecourt demo``, ``forecourt alerts``), the Dagster daemon and a restarted daemon
each keep their own sensor cursor, so a cursor cannot say what was already sent: starting the
daemon after a CLI run re-sent every alert. The ledger can. It is a SQLite file under the home's
alerts folder, and every decision to send is taken inside one exclusive SQLite transaction
(``BEGIN IMMEDIATE``): a second evaluator, in this process or another, waits for the first to
finish, then sees what it sent.

Two kinds of memory:
- ``low_stock``: per dealer and group, the severity last alerted and when (the state
  ``decide_alerts`` reads and returns); a group back to ok is forgotten, so a relapse alerts.
- ``sent_once``: identities that alert at most once ever, e.g. one failed check of one run.
- ``stockout``: per dealer and group, when a likely stock-out before the next delivery was last
  alerted (``serving.alerts.stockout``), with the same rules as ``low_stock``.

Sending happens inside the transaction, so a crash before the commit re-sends on the next
evaluation (at least once) rather than losing an alert; two evaluators never both send.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LEDGER_FILE = "ledger.sqlite3"
# An evaluator holding the ledger may be delivering to a slow webhook: wait for it.
BUSY_TIMEOUT_SECONDS = 300.0
SCHEMA = """
create table if not exists low_stock (group_key text primary key, state text not null);
create table if not exists sent_once (identity text primary key, sent_at text not null);
create table if not exists stockout (group_key text primary key, state text not null);
"""


@dataclass
class LedgerSession:
    """The ledger as one evaluation sees it; changes are written when the session commits."""

    conn: sqlite3.Connection
    low_stock: dict[str, dict] = field(default_factory=dict)
    stockout: dict[str, dict] = field(default_factory=dict)

    def claim(self, identity: str, now_iso: str) -> bool:
        """True exactly once per identity: the caller sends, every later claim is refused."""
        cursor = self.conn.execute(
            "insert or ignore into sent_once (identity, sent_at) values (?, ?)",
            (identity, now_iso),
        )
        return cursor.rowcount == 1


class AlertLedger:
    def __init__(self, folder: Path):
        self.path = Path(folder) / LEDGER_FILE

    @contextmanager
    def session(self) -> Iterator[LedgerSession]:
        """An exclusive transaction over the ledger: read, decide, send, write back, commit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            conn.executescript(SCHEMA)
            conn.execute("begin immediate")
            rows = conn.execute("select group_key, state from low_stock").fetchall()
            session = LedgerSession(conn, {key: json.loads(state) for key, state in rows})
            rows = conn.execute("select group_key, state from stockout").fetchall()
            session.stockout = {key: json.loads(state) for key, state in rows}
            try:
                yield session
            except BaseException:
                conn.execute("rollback")
                raise
            conn.execute("delete from low_stock")
            conn.executemany(
                "insert into low_stock (group_key, state) values (?, ?)",
                [(k, json.dumps(v, sort_keys=True)) for k, v in session.low_stock.items()],
            )
            conn.execute("delete from stockout")
            conn.executemany(
                "insert into stockout (group_key, state) values (?, ?)",
                [(k, json.dumps(v, sort_keys=True)) for k, v in session.stockout.items()],
            )
            conn.execute("commit")
        finally:
            conn.close()

    def low_stock_state(self) -> dict[str, dict]:
        """The remembered low-stock state, read without taking the writer lock."""
        if not self.path.exists():
            return {}
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            conn.executescript(SCHEMA)
            rows = conn.execute("select group_key, state from low_stock").fetchall()
        finally:
            conn.close()
        return {key: json.loads(state) for key, state in rows}
