"""What an import did, for people (printed) and for machines (import_report.json)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from landing.home import ForecourtHome

REPORT_FILE = "import_report.json"


@dataclass
class Quirk:
    """One kind of defect found in the export: what, where, how many rows, what was done."""

    name: str
    column: str
    rows: int
    action: str
    examples: list[dict] = field(default_factory=list)


@dataclass
class ImportReport:
    """Rows read, written and repaired, each quirk with its count, and what the source lacks."""

    source: str
    input_path: str
    rows_read: int = 0
    rows_repaired: int = 0
    rows_skipped: int = 0
    rows_written: dict[str, int] = field(default_factory=dict)
    files_written: int = 0
    files_unchanged: int = 0
    first_day: str | None = None
    last_day: str | None = None
    quirks: list[Quirk] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    not_in_source: dict[str, str] = field(default_factory=dict)
    # Suites that cannot run and ranges that differ: written to the home's source profile
    # (ForecourtHome.source_profile), never into the landing zone; expectations/profile.py.
    checks: dict = field(default_factory=dict)

    def add(
        self, name: str, column: str, rows: int, action: str, examples: list[dict] | None = None
    ) -> None:
        """Record a quirk; one found zero times is not recorded."""
        if rows:
            self.quirks.append(Quirk(name, column, rows, action, (examples or [])[:5]))

    def to_json(self) -> str:
        report = {k: v for k, v in asdict(self).items() if k != "checks"}
        return json.dumps(report, indent=2, default=str)

    def write(self, landing: Path, profile: Path | None = None) -> Path:
        """The report beside the landing files; the checks section to the source profile
        (by default the profile of the home the landing zone belongs to)."""
        path = Path(landing) / REPORT_FILE
        path.write_text(self.to_json() + "\n", encoding="utf-8")
        write_profile(
            profile or ForecourtHome(Path(landing).resolve().parent).source_profile,
            {"source": self.source, **self.checks},
        )
        return path

    def text(self) -> str:
        lines = [
            f"Import of {self.source} from {self.input_path}",
            f"  rows read {self.rows_read:,}, repaired {self.rows_repaired:,}, "
            f"skipped {self.rows_skipped:,}; days {self.first_day} .. {self.last_day}",
            f"  files written {self.files_written:,} (unchanged {self.files_unchanged:,})",
            "  rows written: "
            + ", ".join(f"{feed} {rows:,}" for feed, rows in self.rows_written.items()),
        ]
        if self.quirks:
            lines.append("  quirks found and handled:")
            for q in self.quirks:
                lines.append(f"    - {q.name} in {q.column}: {q.rows:,} row(s); {q.action}")
                for example in q.examples[:2]:
                    lines.append(f"        e.g. {example}")
        for key, value in self.facts.items():
            lines.append(f"  {key}: {value}")
        if self.not_in_source:
            lines.append("  not in this source (left empty, never invented):")
            lines += [f"    - {what}: {why}" for what, why in self.not_in_source.items()]
        return "\n".join(lines)


def read_report(landing: Path) -> dict | None:
    path = Path(landing) / REPORT_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def imported_source(landing: Path) -> str | None:
    """The source the home's landing zone was imported from (its latest import), or None for a
    home of DMS feeds (the demo generator's, a dealer's)."""
    report = read_report(landing)
    return report.get("source") if report else None


def write_profile(path: Path, profile: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(profile, indent=2) + "\n", encoding="utf-8")
    return path


def read_profile(path: Path) -> dict:
    """The source profile ({} when the home holds no import: every suite runs as written)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


NO_FEED = "the {source} export has no {feed} feed, so the suite has no row to validate"
NO_UNIT_STOCK = (
    "the {source} export has no unit-level stock (no acquisition dates, no unit in stock): "
    "the suite validates what stocking reads, which this source cannot supply"
)


def check_profile(source: str, absent_feeds: list[str], ranges: dict | None = None) -> dict:
    """The ``checks`` section an importer writes: suites skipped and ranges widened, with why."""
    skip = {feed: NO_FEED.format(source=source, feed=feed) for feed in absent_feeds}
    skip["dim_vehicles"] = NO_UNIT_STOCK.format(source=source)
    return {"skip": skip, "ranges": ranges or {}}
