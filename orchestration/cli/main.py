"""The ``forecourt`` commands: generate demo data, materialize, run the demo, open the UI.

The arguments are in ``parser``; ``main`` checks the home, takes its lock and turns every
failure into a line or two and an exit code (``guard``)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

from landing.home import REPO_ROOT, ForecourtHome
from landing.home_lock import HomeBusy, home_lock
from orchestration.cli.guard import (
    BAD_INPUT,
    FAILED,
    RunStopped,
    UsageError,
    explain,
    home_problem,
    home_umask,
    write_trace,
)
from orchestration.cli.parser import build_parser

# What each command needs of FORECOURT_HOME: (may create it, writes to it, takes the home lock).
HOME_NEEDS = {
    "generate": (True, True, True),
    "demo": (True, True, True),
    "import": (True, True, True),
    "materialize": (False, True, True),
    "publish": (False, True, True),
    "ui": (True, True, False),
    "alerts": (False, False, False),
    "ask": (False, False, False),
}


def cmd_generate(args: argparse.Namespace) -> int:
    from landing.generator import generate

    out = Path(args.out).resolve() if args.out else ForecourtHome.from_env().landing
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"--out {out} is a file. Give a folder for the landing files (it is created if "
            "missing), or leave --out out to write into FORECOURT_HOME/landing."
        )
    summary = generate(
        out,
        start=args.start,
        days=args.days,
        dealers=args.dealers,
        seed=args.seed,
        progress=print if getattr(args, "verbose", True) else None,
        demand_scale=getattr(args, "demand_scale", 1.0),
    )
    # The per-feed row counts follow the first line; a demo keeps to the first line.
    print(summary if getattr(args, "verbose", True) else str(summary).splitlines()[0])
    return 0


def _print_run(result, started: float, verbose: bool = False) -> int:
    from orchestration.cli.runner import failure_lines, last_run_log, warehouse_summary
    from orchestration.cli.summary import run_lines

    home = ForecourtHome.from_env()
    print()
    for line in run_lines(result, time.perf_counter() - started, home):
        print(line)
    if verbose:
        for table, rows in warehouse_summary(home):
            print(f"  {table:<40} {rows:>12,}")
    log = last_run_log[-1] if last_run_log else None
    where = home.warehouse
    if os.environ.get("FORECOURT_ENGINE") == "spark":  # raw loads stay in warehouse.duckdb
        from landing.warehouse.spark import warehouse_dir

        where = f"{warehouse_dir(home.root)} (Spark; raw loads in {home.warehouse})"
    print(f"Warehouse: {where} (the UI: make ui, or forecourt ui)\nFull log: {log}")
    if result.success:
        return 0
    print(f"forecourt: run {result.run_id} FAILED.", file=sys.stderr)
    for line in failure_lines(result):
        print(line, file=sys.stderr)
    log = last_run_log[-1] if last_run_log else None
    print(
        f"  Full log: {log}; stack traces: forecourt ui, run {result.run_id[:8]}.",
        file=sys.stderr,
    )
    return FAILED


def cmd_materialize(args: argparse.Namespace) -> int:
    from orchestration.cli.runner import materialize

    started = time.perf_counter()
    result = materialize(args.select, args.partition, args.start, args.end, verbose=args.verbose)
    return _print_run(result, started, args.verbose)


def cmd_import(args: argparse.Namespace) -> int:
    from orchestration.cli.demo import run_import, use_source_home

    home = use_source_home(args.source)  # FORECOURT_HOME, else data/<source>
    run_import(args.source, args.path, replace=args.replace)
    print(f"\nNext: FORECOURT_HOME={home.root} forecourt materialize")
    return 0


def use_engine(engine: str | None) -> str:
    """Switch the whole chain to an engine (FORECOURT_ENGINE for the assets, and the matching
    dbt target unless FORECOURT_DBT_TARGET names one); the engine in use."""
    from landing.warehouse import ENGINE_VARIABLE, engine_from_env

    if engine:
        os.environ[ENGINE_VARIABLE] = engine
    engine = engine_from_env()
    if engine == "spark":
        from landing.warehouse.spark import spark_unavailable

        reason = spark_unavailable()
        if reason:
            raise UsageError(f"--engine spark: {reason}.")
        os.environ.setdefault("FORECOURT_DBT_TARGET", "spark")
    return engine


def cmd_demo(args: argparse.Namespace) -> int:
    engine = use_engine(args.engine)  # before orchestration.project reads the dbt target
    from orchestration.cli.runner import landed_days, materialize

    started = time.perf_counter()
    if args.source:  # a real export, imported into its own home (data/<source> by default)
        from orchestration.cli.demo import run_import, use_source_home

        print(f"Importing {args.source} into {use_source_home(args.source).landing} ...")
        run_import(args.source, args.path)
    home = ForecourtHome.from_env()
    if landed_days(home.landing) is None:
        print(f"Generating demo data into {home.landing} (seed {args.seed}) ...")
        args.out, args.start, args.days, args.dealers = None, args.start, args.days, args.dealers
        cmd_generate(args)
    result = materialize(job_name="demo_job", verbose=args.verbose)
    if result.success:
        evaluate_alerts()
    from orchestration.cli.reports import print_sections, print_summary

    # On Spark the marts and ml tables are Parquet; the serving copy holds them as DuckDB
    if engine == "spark":
        from serving import serving_path

        print_sections(home, path=serving_path(home=home))
        print_summary(serving_path(home=home), engine)
    else:
        print_sections(home)
        print_summary(home.warehouse, engine)
    if args.source:
        from orchestration.cli.demo import print_source_summary

        print_source_summary(home)
    return _print_run(result, started, args.verbose)


def evaluate_alerts() -> None:
    """Evaluate the alert sensors once, as the daemon would, then record the alerts sent.

    Outside the daemon each sensor's cursor lives in a file beside the alerts."""
    from orchestration.cli.runner import materialize
    from orchestration.resources import AlertSinksResource
    from orchestration.sensors import evaluate_low_stock

    home = ForecourtHome.from_env()
    cursor_file = home.alerts / "low_stock_sensor.cursor"
    cursor = cursor_file.read_text() if cursor_file.exists() else None
    sinks = AlertSinksResource.from_environment()
    sent, new_cursor, summary = evaluate_low_stock(cursor, sinks)
    if new_cursor:
        cursor_file.write_text(new_cursor)
    print(f"\nlow_stock_sensor: {summary}")
    if sent:
        # and what reads the record: the serving copies and the dashboard
        materialize(selection="key:ops/low_stock_alerts+")
    _evaluate_failed_checks(home, sinks)


def _evaluate_failed_checks(home: ForecourtHome, sinks) -> None:
    import dagster as dg

    from orchestration.sensors import failed_check_sensor

    cursor_file = home.alerts / "failed_check_sensor.cursor"
    with dg.DagsterInstance.get() as instance:
        context = dg.build_sensor_context(
            instance=instance,
            cursor=cursor_file.read_text() if cursor_file.exists() else None,
            resources={"alert_sinks": sinks},
        )
        result = failed_check_sensor(context)
        if context.cursor:
            cursor_file.write_text(context.cursor)
    print(f"failed_check_sensor: {getattr(result, 'skip_message', result)}")


def cmd_alerts(args: argparse.Namespace) -> int:
    from orchestration.cli.reports import print_sections

    where = "" if args.all else "where status = 'open'"
    sql = (
        "select created_at, kind, severity, status, dealer_id, group_key, units_on_hand, "
        "recommended_units, stockout_date, next_delivery_date, title "
        f"from ops.low_stock_alerts {where} order by created_at desc"
    )
    section = "Alerts (low-stock and stock-out)"
    home = ForecourtHome.from_env()
    if use_engine(None) == "spark":  # ops.* are Parquet there: read the serving copy of them
        from serving import serving_path

        if not serving_path(home=home).exists():
            raise UsageError(f"no serving copy in {home.serving} yet: run 'forecourt demo' first.")
        _recorded_with_kinds(serving_path(home=home))
        print_sections(home, {section: sql}, path=serving_path(home=home))
        return 0
    if not home.warehouse.exists():
        raise UsageError(
            f"no warehouse in {home.root} yet. Run 'forecourt demo' or 'forecourt materialize' "
            "first."
        )
    _readable_warehouse(home)
    _recorded_with_kinds(home.warehouse)
    print_sections(home, {section: sql})
    return 0


def _recorded_with_kinds(path: Path) -> None:
    """A record written before it held stock-out alerts lacks `kind`: say how to rebuild it,
    rather than DuckDB's binder trace."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as conn:
        columns = conn.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'ops' and table_name = 'low_stock_alerts'"
        ).fetchall()
    if columns and ("kind",) not in columns:
        raise UsageError(
            f"ops.low_stock_alerts in {path} was recorded before it held stock-out alerts (no "
            "column 'kind'). Rebuild it: forecourt materialize --select "
            "'key:ops/low_stock_alerts+'"
        )


def _readable_warehouse(home: ForecourtHome) -> None:
    """A run holds the warehouse's write lock: say whose, rather than DuckDB's trace."""
    import duckdb

    from landing.home_lock import LOCK_FILE, describe, holder

    try:
        duckdb.connect(str(home.warehouse), read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        who = describe(holder(home.root / LOCK_FILE))
        raise HomeBusy(
            f"the warehouse is being written by {who}. Try again when it has finished "
            "(analysts: read the serving copies, which are never locked)."
        ) from None


def cmd_ui(args: argparse.Namespace) -> int:
    from orchestration.instance import ensure_manifest, prepare_home

    _port_free(args.port)
    prepare_home()
    ensure_manifest()
    dagster = Path(sys.executable).with_name("dagster")
    command = [
        str(dagster),
        "dev",
        "-w",
        str(REPO_ROOT / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(args.port),
    ]
    code = subprocess.call(command, env=os.environ.copy(), cwd=REPO_ROOT)
    if code not in (0, -2, 130):  # 130 / -SIGINT: Ctrl-C, the way to stop it
        print(f"forecourt ui: dagster dev stopped with exit code {code}.", file=sys.stderr)
        return FAILED
    return 0


def _port_free(port: int) -> None:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UsageError(
                f"port {port} on 127.0.0.1 is not free ({exc.strerror}). Pick another with "
                "--port, or stop what is listening there."
            ) from None


def cmd_contract(args: argparse.Namespace) -> int:
    if args.dbt_sources:
        from landing.contract_docs import dbt_sources_yaml

        print(dbt_sources_yaml(), end="")
        return 0
    from landing.contract import contract_markdown

    print(contract_markdown())
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from serving import serving_path
    from serving.ask import ask, format_answer

    home = ForecourtHome.from_env()
    path = Path(args.file) if args.file else serving_path(args.role, home)
    if not path.exists():
        copies = ", ".join(sorted(p.stem for p in home.serving.glob("*.duckdb"))) or "none yet"
        print(
            f"forecourt ask: no serving copy at {path} (copies: {copies}). Run "
            "'forecourt publish' or the daily refresh first.",
            file=sys.stderr,
        )
        return 2
    if not _is_duckdb(path):
        raise UsageError(
            f"{path} is not a DuckDB file. Give --file a serving copy "
            f"({home.serving}/<role>.duckdb), or leave --file out."
        )
    cache = None if args.no_cache else home.root / "cache" / "ask"
    if cache is not None and not (home.root.is_dir() and os.access(home.root, os.W_OK)):
        cache = None  # no home (ask --file), or a read-only one: answer without a cache
    answer = ask(" ".join(args.question), path, cache_dir=cache)
    print(format_answer(answer))
    return 0 if answer.answered else 1


def _is_duckdb(path: Path) -> bool:
    """DuckDB's own files carry the magic bytes DUCK at offset 8."""
    try:
        with path.open("rb") as handle:
            return path.is_file() and handle.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def cmd_publish(args: argparse.Namespace) -> int:
    from orchestration.cli.runner import materialize

    started = time.perf_counter()
    result = materialize(selection="group:serving", verbose=args.verbose)
    return _print_run(result, started, args.verbose)


def _run(args: argparse.Namespace) -> int:
    """Check the home the command needs, take its lock if it writes, then run the command."""
    needs = HOME_NEEDS.get(args.command)
    if getattr(args, "source", None):  # import, demo --source: data/<source> by default
        from orchestration.cli.demo import use_source_home

        use_source_home(args.source)
    if (args.command == "generate" and args.out) or (args.command == "ask" and args.file):
        needs = None  # works only where --out or --file says
    if needs is None:
        return _command(args)(args)
    creates, writes, locks = needs
    home = ForecourtHome.from_env()
    problem = home_problem(home, creates, writes)
    if problem:
        raise UsageError(problem)
    if not locks:
        return _command(args)(args)
    wait = 0.0 if args.no_wait else args.wait_timeout
    command = "forecourt " + " ".join(_argv(args))
    with home_lock(home.root, command, wait, say=lambda line: print(line, flush=True)):
        return _command(args)(args)


def _command(args: argparse.Namespace):
    return globals()[f"cmd_{args.command}"]


def _argv(args: argparse.Namespace) -> list[str]:
    return list(getattr(args, "argv", None) or [args.command])


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is a line or two and an exit code, never a trace."""
    from serving.roles import RolesConfigError

    home_umask()
    # PySpark (imported by Great Expectations) warns about the pandas version on import, a
    # line on every run's terminal that says nothing about the run; the log keeps warnings.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support", FutureWarning)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage line and the error
        return exc.code if isinstance(exc.code, int) else BAD_INPUT
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args)
    except (UsageError, RolesConfigError) as exc:
        print(f"forecourt {args.command}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except HomeBusy as exc:
        print(f"forecourt {args.command}: {exc}", file=sys.stderr)
        return FAILED
    except RunStopped as exc:
        print(f"forecourt {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"forecourt {args.command}: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # the user gets a line; the trace goes to the log
        line, code = explain(exc)
        log = write_trace(ForecourtHome.from_env(), args.command, exc)
        print(f"forecourt {args.command}: {line}", file=sys.stderr)
        print(f"  Full trace: {log or 'could not be written'}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
