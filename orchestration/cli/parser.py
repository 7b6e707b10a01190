"""The ``forecourt`` command line: subcommands, their options and argument types."""

from __future__ import annotations

import argparse
import datetime as dt

DESCRIPTION = "forecourt: generate demo data, materialize, run the demo, open the UI."


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the fix (its stock answer is the whole
    usage block, then the error)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}. See '{self.prog} --help'.\n")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return number


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds (0 or more)")
    return seconds


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port: use 1 to 65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="forecourt", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)

    def generator_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        p.add_argument("--start", type=_date, default=dt.date(2024, 1, 1), help="first day")
        p.add_argument("--days", type=_positive, default=730, help="number of days (default 730)")
        p.add_argument("--dealers", type=_positive, default=8, help="rooftops (default 8)")

    def verbose_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--verbose",
            action="store_true",
            help="stream Dagster's and dbt's full logs (always in FORECOURT_HOME/logs/)",
        )

    def wait_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--no-wait",
            action="store_true",
            help="if another run holds this home, give up at once instead of waiting",
        )
        p.add_argument(
            "--wait-timeout",
            type=_seconds,
            default=3600.0,
            metavar="SECONDS",
            help="how long to wait for another run on this home (default 3600)",
        )

    p = sub.add_parser("generate", help="write deterministic demo landing files")
    generator_options(p)
    wait_options(p)
    p.add_argument("--out", help="landing folder (default FORECOURT_HOME/landing)")
    p.add_argument(
        "--demand-scale",
        type=float,
        default=1.0,
        help="multiply every rooftop's shoppers (default 1; 9 with --days 1826 --dealers 100 "
        "writes about 11 million sales)",
    )

    p = sub.add_parser("materialize", help="materialize assets in-process over landed days")
    p.add_argument("--select", help="asset selection, e.g. 'group:raw' or 'key:marts/fct_sales+'")
    p.add_argument("--partition", help="one day, YYYY-MM-DD")
    p.add_argument("--from", dest="start", help="first day of a range, YYYY-MM-DD")
    p.add_argument("--to", dest="end", help="last day of a range, YYYY-MM-DD")
    verbose_option(p)
    wait_options(p)

    sources = ["car-sales", "mintclassics"]
    p = sub.add_parser("import", help="turn a real export into landing files (and a report)")
    p.add_argument("source", choices=sources, help="which export")
    p.add_argument("path", nargs="?", help="car-sales: the CSV; mintclassics: the CSV folder")
    p.add_argument("--replace", action="store_true", help="delete other data in landing/ first")
    wait_options(p)

    p = sub.add_parser("demo", help="generate demo data if missing, materialize all, summarise")
    generator_options(p)
    p.add_argument("--source", choices=sources, help="run on a real export instead")
    p.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        help="where the warehouse runs: duckdb (default; FORECOURT_ENGINE) or spark (local "
        "Spark: dbt's spark target, the assets' tables as Parquet; needs '.[spark]' and Java)",
    )
    p.add_argument("path", nargs="?", help="the export (default: ../shared/data/...)")
    verbose_option(p)
    wait_options(p)

    p = sub.add_parser(
        "alerts", help="list open low-stock and stock-out alerts (--all: with resolved)"
    )
    p.add_argument("--all", action="store_true", help="include resolved alerts")

    p = sub.add_parser("contract", help="print the landing-zone data contract as Markdown")
    p.add_argument(
        "--dbt-sources",
        action="store_true",
        help="print the dbt sources YAML (models/staging/dms/_dms__sources.yml) instead",
    )

    p = sub.add_parser("ui", help="open the Dagster UI on 127.0.0.1")
    p.add_argument("--port", type=_port, default=3000, help="1 to 65535 (default 3000)")

    p = sub.add_parser("ask", help="answer a plain-language question from the serving copy")
    p.add_argument("question", nargs="+", help='e.g. "top 5 models sold in Austin last quarter"')
    p.add_argument("--role", help="ask a role's copy (serving/<role>.duckdb), e.g. analyst")
    p.add_argument("--file", help="any serving copy (default serving/forecourt.duckdb)")
    p.add_argument("--no-cache", action="store_true", help="always run the query")

    p = sub.add_parser("publish", help="rebuild the serving copies and the KPI dashboard now")
    verbose_option(p)
    wait_options(p)
    return parser
