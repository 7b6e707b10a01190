"""The faults of the probe (``bench/fault_probe.py``), one function per category.

Each function takes the ``Probe`` and records one outcome per fault. Data-loss figures are
counted against the landing files themselves: a good day's rows must all be in ``raw.<feed>``
or ``raw.rejects``, never twice.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import duckdb

from bench.fault_probe_sinks import sinks

FEED, KEY = "sales", "deal_id"
RAW = "key:raw/sales"


def _days(home: Path, n: int) -> list[str]:
    return sorted(p.stem for p in (home / "landing" / FEED).glob("*.csv"))[10 : 10 + n]


def _query(home: Path, sql: str, params=()):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql, list(params)).fetchall()


def _account(probe, home: Path, good_days: list[str]) -> str:
    """Rows lost (a good day's file rows neither loaded nor rejected) and duplicated keys."""
    lost = 0
    for day in good_days:
        rows = len((home / "landing" / FEED / f"{day}.csv").read_bytes().splitlines()) - 1
        (loaded,) = _query(home, f"select count(*) from raw.{FEED} where _partition_date = ?",
                           [day])[0]  # fmt: skip
        (rejected,) = _query(home, "select count(*) from raw.rejects where feed = ? and "
                             "partition_date = ? and reason not like 'file skipped%' and "
                             "load_id = (select max_by(load_id, loaded_at) from raw.load_log "
                             "where feed = ? and partition_date = ?)",
                             [FEED, day, FEED, day])[0]  # fmt: skip
        lost += max(rows - loaded - rejected, 0)
    (dupes,) = _query(home, f"select count(*) - count(distinct {KEY}) from raw.{FEED}")[0]
    probe.figures["rows_lost"] = probe.figures.get("rows_lost", 0) + lost
    probe.figures["rows_duplicated"] = probe.figures.get("rows_duplicated", 0) + dupes
    return f"lost {lost}, duplicated {dupes}"


def cli_input(probe) -> None:
    tmp = probe.out / "cli"
    tmp.mkdir(exist_ok=True)
    a_file = tmp / "a_file"
    a_file.write_text("not a folder\n")
    missing = tmp / "missing-home"
    base = probe.base
    cases = [
        ("home is a file", a_file, ["materialize"], 2, "not a folder"),
        ("home missing: materialize", missing, ["materialize"], 2, "does not exist"),
        ("home missing: alerts", missing, ["alerts"], 2, "does not exist"),
        ("home missing: publish", missing, ["publish"], 2, "does not exist"),
        ("ask --file not DuckDB", base, ["ask", "top models", "--file", str(a_file)], 2, "duckdb"),
        ("ask --file /etc/passwd", base, ["ask", "top models", "--file", "/etc/passwd"], 2, ""),
        ("generate --out a file", tmp, ["generate", "--out", str(a_file)], 2, "file"),
        ("ui --port 99999", base, ["ui", "--port", "99999"], 2, "65535"),
        ("ui --port abc", base, ["ui", "--port", "abc"], 2, "port"),
        ("--select matching nothing", base, ["materialize", "--select", "key:nope/x"], 2,
         "matches no asset"),
        ("--select ''", base, ["materialize", "--select", ""], 2, "empty"),
        ("--select not a selection", base, ["materialize", "--select", "(("], 2, "selection"),
        ("--partition 2025-13-45", base, ["materialize", "--partition", "2025-13-45"], 2, ""),
        ("--from after --to", base, ["materialize", "--from", "2024-03-01", "--to",
                                     "2024-01-01"], 2, ""),
        ("--partition with no files", "copy", ["materialize", "--partition", "2019-01-01"], 1,
         "missing"),
        ("unknown command", base, ["frobnicate"], 2, "invalid choice"),
        ("generate --days -5", tmp / "g", ["generate", "--days", "-5"], 2, ""),
        ("generate --dealers 0", tmp / "g", ["generate", "--dealers", "0"], 2, ""),
        ("import car-sales missing file", tmp / "i", ["import", "car-sales", "/nope.csv"], 2,
         "nope.csv"),
        ("import mintclassics on a file", tmp / "i", ["import", "mintclassics", str(a_file)],
         2, ""),
        ("ask --role unknown", base, ["ask", "top models", "--role", "nobody"], 2, "nobody"),
        ("demo --wait-timeout -1", tmp / "d", ["demo", "--wait-timeout", "-1"], 2, ""),
    ]  # fmt: skip
    for name, home, args, rc, word in cases:
        if not probe.wants(name):
            continue
        home = probe.copy("cli") if home == "copy" else home  # a run writes: never the base
        ran = probe.cli(home, *args, timeout=300)
        probe.judge("cli", name, ran, rc, *([word] if word else []))


def _one_day(probe, name: str, mutate, rc: int, *words: str, bad_range: bool = False) -> None:
    home = probe.copy(name.split(":")[0].replace(" ", "_")[:20])
    days = _days(home, 3)
    bad = days[1]
    mutate(home / "landing" / FEED / f"{bad}.csv")
    if bad_range:
        ran = probe.cli(home, "materialize", "--select", RAW, "--from", days[0], "--to", days[2])
    else:
        ran = probe.cli(home, "materialize", "--select", RAW, "--partition", bad)
    # the days whose file is intact, and the bad day when its good rows were to load
    intact = [d for d in days if d != bad] + ([bad] if rc == 0 and not bad_range else [])
    account = _account(probe, home, intact)
    probe.judge("files", name, ran, rc, *words)
    probe.outcomes[-1].note += f"; {account}"
    if "root:x:0" in ran.text:
        probe.outcomes[-1].verdict = "not"
        probe.outcomes[-1].note += "; echoed /etc/passwd"


def _rewrite(column: str, value: str):
    def mutate(path: Path) -> None:
        lines = path.read_text().splitlines()
        header = lines[0].split(",")
        cells = lines[1].split(",")
        cells[header.index(column)] = value
        lines[1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n")

    return mutate


def _replace(path: Path, data: bytes | str) -> None:
    path.unlink()
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def files(probe) -> None:
    def symlink_out(path: Path) -> None:
        path.unlink()
        path.symlink_to("/etc/passwd")

    def folder(path: Path) -> None:
        path.unlink()
        path.mkdir()

    def missing_column(path: Path) -> None:
        lines = path.read_text().splitlines()
        path.write_text("\n".join(",".join(line.split(",")[:-1]) for line in lines) + "\n")

    def duplicate_row(path: Path) -> None:
        lines = path.read_text().splitlines()
        path.write_text("\n".join([*lines, lines[1]]) + "\n")

    def crlf_bom(path: Path) -> None:
        text = path.read_text().replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())

    def utf16(path: Path) -> None:
        path.write_bytes(path.read_text().encode("utf-16"))

    cases = [
        ("empty file (0 bytes)", lambda p: _replace(p, b""), 1, "empty file"),
        ("binary garbage", lambda p: _replace(p, os.urandom(3000)), 1, "cannot be decoded"),
        ("missing column", missing_column, 1, "missing column"),
        ("unclosed quote", lambda p: _replace(p, p.read_text().replace(",D01,", ',"D01,', 1)),
         1, ".csv"),
        ("symlink to /etc/passwd", symlink_out, 1, "symbolic link"),
        ("folder in place of the file", folder, 1, "not a regular file"),
        ("UTF-16 file", utf16, 1, ".csv"),
        ("CRLF and a BOM", crlf_bom, 0),
        ("price 12.345", _rewrite("sale_price", "12.345"), 0),
        ("date 2024-1-5", _rewrite("sale_date", "2024-1-5"), 0),
        ("NUL byte in the key", _rewrite("deal_id", "S0\x0001"), 0),
        ("duplicate row in the file", duplicate_row, 0),
        ("1 MB value", _rewrite("stock_number", "X" * 1_000_000), 0),
        ("negative price", _rewrite("sale_price", "-5.00"), 0),
        ("unknown dealer", _rewrite("dealer_id", "D99"), 0),
    ]  # fmt: skip
    for name, mutate, rc, *words in cases:
        if probe.wants(name):
            _one_day(probe, name, mutate, rc, *words)
    if probe.faults:
        return
    _one_day(probe, "bad day in a 3-day range: others load", missing_column, 0, "skipped",
             bad_range=True)  # fmt: skip
    home = probe.copy("stray")
    (home / "landing" / FEED / "2019-01-01.old.csv").write_text("junk\n")
    (home / "landing" / FEED / "backup").mkdir()
    days = _days(home, 1)
    ran = probe.cli(home, "materialize", "--select", RAW, "--partition", days[0])
    probe.judge("files", "stray folder and misnamed file", ran, 0)
    probe.outcomes[-1].note += f"; {_account(probe, home, days)}"
    home = probe.copy("redelivery")
    days = _days(home, 1)
    first = probe.cli(home, "materialize", "--select", RAW, "--partition", days[0])
    again = probe.cli(home, "materialize", "--select", RAW, "--partition", days[0])
    probe.judge("files", "same file delivered twice", again, 0)
    probe.outcomes[-1].note += f"; {_account(probe, home, days)} (first rc {first.rc})"


def _session_processes(sid: int) -> list[tuple[int, str]]:
    out = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        pid, session, args = line.split(None, 2)
        if int(session) == sid:
            found.append((int(pid), args))
    return found


def _started(home: Path, step: str) -> bool:
    return any(f"{step} - STEP_START" in p.read_text(errors="replace")
               for p in (home / "logs").glob("forecourt-run-*.log")
               if p.stat().st_mtime > time.time() - 600)  # fmt: skip


def crashes(probe) -> None:
    for name, select, wait_for in [
        ("kill -9 during the raw load", "group:raw", "raw__customers"),
        ("kill -9 during dbt", "key:marts/fct_sales", "dbt"),
    ]:
        home = probe.copy(name.split()[-1])
        started = time.monotonic()
        process = probe.start(home, "materialize", "--select", select)
        while time.monotonic() < started + 300 and process.poll() is None:
            procs = _session_processes(process.pid)
            if wait_for == "dbt" and any("dbt" in a and "build" in a for _, a in procs):
                time.sleep(2)
                break
            if wait_for != "dbt" and _started(home, wait_for):
                break
            time.sleep(0.2)
        if process.poll() is not None:
            probe.record("crashes", name, "skipped", "the run ended before the kill")
            continue
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(5)
        left = [a for _, a in _session_processes(process.pid)]
        again = probe.cli(home, "materialize", "--select", select)
        account = _account(probe, home, _days(home, 5))
        (dupes,) = _query(home, "select count(*) - count(distinct deal_id) from marts.fct_sales")[0]
        probe.figures["rows_duplicated"] = probe.figures.get("rows_duplicated", 0) + dupes
        note = (f"orphans left {len(left)}; rerun rc {again.rc}; "
                f"{'marked failed' if 'died without finishing' in again.text else 'no orphan note'}"
                f"; {account}; fct_sales duplicates {dupes}")  # fmt: skip
        verdict = "well" if not left and again.rc == 0 and not dupes else "not"
        probe.record("crashes", name, verdict, note, again)


def concurrency(probe) -> None:
    home = probe.copy("concurrent")
    days = _days(home, 30)
    args = ["materialize", "--select", "group:raw", "--from", days[0], "--to", days[-1]]
    first = probe.start(home, *args)
    time.sleep(3)
    second = probe.cli(home, *args, timeout=900)
    out, err = first.communicate(timeout=900)
    waited = "Waiting for" in second.text
    note = f"first rc {first.returncode}, second rc {second.rc}, second waited: {waited}; "
    note += _account(probe, home, days)
    ok = first.returncode == 0 and second.rc == 0 and waited
    probe.record("concurrency", "two CLI runs on one home", "well" if ok else "not", note, second)
    first = probe.start(home, *args)
    time.sleep(3)
    refused = probe.cli(home, *args, "--no-wait")
    first.communicate(timeout=900)
    probe.judge("concurrency", "--no-wait while another runs", refused, 1, "busy")


def security(probe) -> None:
    home = probe.copy("publish")
    ran = probe.cli(home, "publish")
    serving = home / "serving"
    world = [p.name for p in serving.glob("*.duckdb") if p.stat().st_mode & stat.S_IROTH]
    writable = [p.name for p in serving.glob("*.duckdb") if p.stat().st_mode & 0o222]
    probe.figures["world_readable_role_files"] = len(world)
    new = [p for p in home.rglob("*") if p.is_file() and p.stat().st_mtime > time.time() - 3600
           and p.stat().st_mode & stat.S_IROTH]  # fmt: skip
    note = f"world-readable {world or 0}, writable {writable or 0}, new world-readable files " \
           f"in the home {len(new)}"  # fmt: skip
    verdict = "well" if ran.rc == 0 and not world and not writable and not new else "not"
    probe.record("security", "role file modes after publish", verdict, note, ran)
    analyst = serving / "analyst.duckdb"
    with duckdb.connect(str(analyst), read_only=True) as conn:
        columns = conn.execute("select schema_name, table_name, column_name from "
                               "duckdb_columns() where data_type = 'VARCHAR' and "
                               "schema_name <> 'meta'").fetchall()  # fmt: skip
        contact = []
        for schema, table, column in columns:
            (share,) = conn.execute(
                f"select avg(case when regexp_matches(\"{column}\", '@[^@]+\\.[a-z]+$') then 1.0 "
                f'else 0 end) from (select "{column}" from "{schema}"."{table}" '
                f'where "{column}" is not null limit 500)'
            ).fetchone()
            if share and share > 0.3:
                contact.append(f"{table}.{column}")
        extremes = conn.execute("select table_name || '.' || column_name from duckdb_columns() "
                                "where regexp_matches(column_name, '(min|max)_.*income')"
                                ).fetchall()  # fmt: skip
        small = conn.execute(
            "select count(*) from (select gender, age_band, income_band, city, "
            "count(distinct customer_id) n from marts.dim_customers where "
            "coalesce(gender, age_band, income_band, city) is not null group by all) where n < 5"
        ).fetchone()[0]
    leaks = contact + [e for (e,) in extremes]
    note = f"contact columns {contact}, extreme incomes {extremes}, small classes {small}"
    probe.record("security", "analyst copy identifies nobody",
                 "well" if not leaks and not small else "not", note)  # fmt: skip
    home = probe.copy("link")
    days = _days(home, 1)
    target = home / "landing" / FEED / f"{days[0]}.csv"
    target.unlink()
    target.symlink_to("/etc/shadow")
    ran = probe.cli(home, "materialize", "--select", RAW, "--partition", days[0])
    probe.judge("security", "landing link to /etc/shadow", ran, 1, "symbolic link")
    ran = probe.cli(probe.base, "ask", "top models", "--file", "/etc/shadow")
    probe.judge("security", "ask --file /etc/shadow", ran, 2)


def _fill(path: Path, leave_mb: int) -> None:
    """Grow ``path`` until the file system has about ``leave_mb`` MB free."""
    stats = os.statvfs(path.parent)
    extra = stats.f_bavail * stats.f_frsize - leave_mb * 2**20
    with path.open("ab") as handle:
        while extra > 0:
            chunk = min(extra, 2**20)
            try:
                handle.write(b"\0" * chunk)
                handle.flush()
            except OSError:
                return
            extra -= chunk


def disk(probe) -> None:
    mount = probe.out / "tmpfs"
    mount.mkdir(exist_ok=True)
    size_mb = sum(p.stat().st_size for p in probe.base.rglob("*") if p.is_file()) // 2**20 + 66
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        probe.record("disk", "full disk", "skipped", f"cannot mount a tmpfs: {done.stderr.strip()}")
        return
    try:
        home = mount / "home"
        subprocess.run(["cp", "-a", str(probe.base), str(home)], check=True)
        before = _query(home, "select count(*) from raw.sales")[0][0]
        _fill(mount / "filler", 65)  # just above the CLI's 64 MB floor
        ran = probe.cli(home, "materialize", timeout=1200)
        after = _query(home, "select count(*) from raw.sales")[0][0]
        word = "the disk is full" if ran.rc else ""
        probe.judge("disk", "disk fills up during a run", ran, ran.rc if ran.rc in (0, 1) else 1,
                    *([word] if word else []))  # fmt: skip
        probe.outcomes[-1].note += f"; raw.sales {before} -> {after}"
        if after < before:
            probe.outcomes[-1].verdict = "not"
        _fill(mount / "filler", 2)
        ran = probe.cli(home, "materialize", timeout=300)
        probe.judge("disk", "disk already full", ran, 2, "full")
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


CATEGORIES = {
    "cli": cli_input,
    "files": files,
    "sinks": sinks,
    "security": security,
    "concurrency": concurrency,
    "crashes": crashes,
    "disk": disk,
}
__all__ = ["CATEGORIES", "json"]
